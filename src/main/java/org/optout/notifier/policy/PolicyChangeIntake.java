package org.optout.notifier.policy;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Clock;
import org.optout.notifier.inbox.ProcessedEvent;

/** Stores policy changes from organisations, once per CloudEvent, and announces each stored change. */
@ApplicationScoped
public class PolicyChangeIntake {

    private final Clock clock;
    private final Event<PolicyChangeAccepted> accepted;

    PolicyChangeIntake(Clock clock, Event<PolicyChangeAccepted> accepted) {
        this.clock = clock;
        this.accepted = accepted;
    }

    @Transactional
    public void accept(PolicyChangeEvent event) {
        if (!ProcessedEvent.markProcessed(event.source(), event.id(), clock.instant())) {
            Log.infof("Policy change event %s from %s already processed: skipped", event.id(), event.source());
            return;
        }
        PolicyChange change = PolicyChange.findByChangeId(event.changeId()).orElseGet(PolicyChange::new);
        if (change.id != null && event.revision() <= change.revision) {
            Log.infof("Policy change %s revision %d is not newer than %d: ignored", event.changeId(),
                    event.revision(), change.revision);
            return;
        }
        change.changeId = event.changeId();
        change.source = event.source();
        change.revision = event.revision();
        change.title = event.title();
        change.receivedAt = clock.instant();
        change.persist();
        Log.infof("Policy change %s revision %d stored", change.changeId, change.revision);
        accepted.fire(new PolicyChangeAccepted(change.changeId, change.revision, change.title));
    }
}
