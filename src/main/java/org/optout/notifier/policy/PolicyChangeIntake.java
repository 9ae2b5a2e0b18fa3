package org.optout.notifier.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.optout.notifier.config.NotifierConfig;
import org.optout.notifier.outcome.NotificationOutcomes;
import org.optout.notifier.inbox.InvalidEventException;
import org.optout.notifier.inbox.ProcessedEvent.EventKey;
import org.optout.notifier.problem.FieldError;
import org.optout.notifier.statistics.TableStatistics;

/**
 * Accepts policy changes from organisations, a batch at a time in one transaction: checks the publisher and the
 * contract, then records each event as processed, stores the revision (the latest wins, the history is kept) and
 * records that its reminders must be planned. An event that breaks a rule is refused before anything of it is
 * written, so that the rest of its batch is stored and a corrected resend with the same id is accepted.
 */
@ApplicationScoped
public class PolicyChangeIntake {

    /** The last time zone in which a day starts: an effective date is past only once it started there too. */
    private static final ZoneOffset LAST_TIME_ZONE = ZoneOffset.ofHours(-12);

    private final Clock clock;
    private final PolicyChangeValidator validator;
    private final NotificationOutcomes outcomes;
    private final ObjectMapper json;
    private final List<String> allowedSources;
    private final long approvalThreshold;
    private final Event<PolicyChangeAccepted> accepted;
    private final Event<PlanningNeeded> planningNeeded;
    private final TableStatistics statistics;

    PolicyChangeIntake(Clock clock, PolicyChangeValidator validator, NotificationOutcomes outcomes, ObjectMapper json,
            NotifierConfig config, Event<PolicyChangeAccepted> accepted, Event<PlanningNeeded> planningNeeded,
            TableStatistics statistics) {
        this.clock = clock;
        this.validator = validator;
        this.outcomes = outcomes;
        this.json = json;
        this.allowedSources = config.policy().allowedSources();
        this.approvalThreshold = config.policy().approvalThreshold();
        this.accepted = accepted;
        this.planningNeeded = planningNeeded;
        this.statistics = statistics;
    }

    /**
     * Accepts the events in their order, in the caller's transaction; each one a rule refuses goes to {@code refuse}
     * with an {@link InvalidEventException} saying why.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void acceptAll(List<IncomingPolicyChange> events,
            BiConsumer<IncomingPolicyChange, RuntimeException> refuse) {
        Instant now = clock.instant();
        IntakeBatch batch = IntakeBatch.of(events);
        for (IncomingPolicyChange event : events) {
            try {
                accept(event, batch, now);
            } catch (InvalidEventException invalid) {
                refuse.accept(event, invalid);
            }
        }
        // Refreshed by the consumer after the commit (a rolled-back batch counts too: an estimate will do).
        statistics.wrote(PolicyChange.TABLE, batch.added());
        statistics.wrote(PolicyChange.PLATFORMS, batch.platformRows());
        statistics.wrote(PolicyChange.COUNTRIES, batch.countryRows());
    }

    /** Everything that can refuse the event comes before anything of it is written. */
    private void accept(IncomingPolicyChange event, IntakeBatch batch, Instant now) {
        if (!allowedSources.contains("*") && !allowedSources.contains(event.source())) {
            throw new InvalidEventException("source: " + event.source()
                    + " is not allowed to publish policy changes (notifier.policy.allowed-sources)");
        }
        ValidPolicyChange change = validate(event.data());
        if (!Objects.equals(event.key(), change.changeId())) {
            Log.warnf("Policy change %s arrived with record key %s (expected the changeId): accepted",
                    change.changeId(), event.key());
        }
        EventKey key = new EventKey(event.source(), event.id());
        if (batch.processed().contains(key)) {
            Log.infof("Policy change event %s from %s already processed: skipped", event.id(), event.source());
            return;
        }
        Optional<PolicyChange> existing = batch.stored(change.changeId());
        if (existing.isPresent() && !existing.get().source.equals(event.source())) {
            throw new InvalidEventException("data.changeId: " + change.changeId() + " belongs to another source");
        }
        if (!change.dryRun() && existing.isPresent() && change.revision() <= existing.get().revision) {
            notNewer(change, existing.get());
            batch.processed().mark(key, now);
            return;
        }
        batch.processed().mark(key, now);
        if (change.dryRun()) {
            long matching = batch.audience(change);
            outcomes.dryRunCounted(new NotificationOutcomes.DryRunCounted(change.changeId(), change.revision(),
                    matching));
            Log.infof("Dry run of policy change %s revision %d: %d matching subscribers", change.changeId(),
                    change.revision(), matching);
            return;
        }
        batch.keep(store(existing.orElseGet(PolicyChange::new), change, event, batch.audience(change), now));
    }

    /**
     * A new event (a redelivery was skipped before) that is not newer than what is stored: the stored revision sent
     * again under another id changes nothing; anything else means the publisher is out of order, which it must hear of.
     */
    private void notNewer(ValidPolicyChange change, PolicyChange stored) {
        if (change.revision() == stored.revision && toJson(change.data()).equals(stored.data)) {
            Log.infof("Policy change %s revision %d sent again: already stored", change.changeId(), change.revision());
            return;
        }
        throw new InvalidEventException("data.revision: " + change.revision() + " is not newer than the stored "
                + stored.revision + " of " + change.changeId() + " (newer)");
    }

    private ValidPolicyChange validate(PolicyChangeData data) {
        List<FieldError> errors = new ArrayList<>();
        ValidPolicyChange change = validator.validate(data, errors);
        if (!errors.isEmpty()) {
            throw new InvalidEventException(FieldError.summary(errors));
        }
        return change;
    }

    private PolicyChange store(PolicyChange stored, ValidPolicyChange change, IncomingPolicyChange event,
            long audience, Instant now) {
        boolean revised = stored.id != null;
        stored.changeId = change.changeId();
        stored.source = event.source();
        stored.revision = change.revision();
        stored.status = change.status();
        stored.title = change.title();
        stored.effectiveDate = change.effectiveDate();
        stored.effectiveAt = change.effectiveAt();
        stored.data = toJson(change.data());
        stored.receivedAt = now;
        stored.platforms.clear();
        stored.platforms.addAll(change.platforms());
        stored.countries.clear();
        stored.countries.addAll(change.countries());
        stored.audience = audience;
        // A cancellation only stops mail, so it never waits for anyone.
        stored.awaitingApproval = change.status() == PolicyChangeStatus.ACTIVE && approvalThreshold > 0
                && stored.audience > approvalThreshold;
        stored.persist();

        PolicyChangeRevision revision = new PolicyChangeRevision();
        revision.policyChangeId = stored.id;
        revision.revision = change.revision();
        revision.source = event.source();
        revision.eventId = event.id();
        revision.data = stored.data;
        revision.receivedAt = now;
        revision.persist();

        boolean stillAhead = change.effectiveAt() != null ? change.effectiveAt().isAfter(now)
                : change.effectiveDate().atStartOfDay(LAST_TIME_ZONE).toInstant().isAfter(now);
        if (stillAhead || (revised && change.status() == PolicyChangeStatus.CANCELLED)) {
            PlanningTask.record(change.changeId(), change.revision(), now);
            planningNeeded.fire(new PlanningNeeded(change.changeId()));
        }
        Log.infof("Policy change %s revision %d stored (%s, effective %s, %d matching subscribers%s%s)",
                change.changeId(), change.revision(), change.status(), change.effectiveDate(), stored.audience,
                stillAhead ? "" : ", already in effect: nobody is mailed",
                stored.awaitingApproval ? ", held for approval" : "");
        accepted.fire(new PolicyChangeAccepted(change.changeId(), change.revision(), change.title()));
        return stored;
    }

    private String toJson(PolicyChangeData data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Policy change data always serialises", e);
        }
    }
}
