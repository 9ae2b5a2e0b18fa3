package org.optout.notifier.reminder;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.optout.notifier.config.NotifierConfig;
import org.optout.notifier.delivery.FollowUpMailer;
import org.optout.notifier.delivery.NotificationOutcomes;
import org.optout.notifier.delivery.ReminderMailer;
import org.optout.notifier.delivery.RetryPolicy;
import org.optout.notifier.delivery.SendPace;
import org.optout.notifier.delivery.SmtpFailure;
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.subscription.SuppressionList;
import org.optout.notifier.subscription.Subscription;
import org.optout.notifier.subscription.SubscriptionStatus;
import org.optout.notifier.subscription.Tokens;

/**
 * Sends due reminders and follow-ups. Due-ness is decided with the injected clock, not the database's. For each
 * subscriber with something due, one transaction claims their due rows ({@code FOR UPDATE SKIP LOCKED}: another
 * instance working on the same subscriber is skipped, not waited for), sends one mail for the reminders (a digest when
 * there are several) and one for the follow-ups, and records the result. A crash between the SMTP server's
 * acceptance and the commit can send that subscriber's mail again (at-least-once at the SMTP boundary); nothing is
 * lost. Transient failures and a relay's refusals are retried from a stored next attempt with backoff; a verdict on
 * the mailbox fails the rows and counts towards the address's suppression (see {@link SmtpFailure}). Nothing is sent
 * at or after a change's deadline, judged by the clock when the mail is about to go, nor to a subscriber who is no
 * longer active or about a change they said they had opted out of, whatever was queued for them. A subscriber who
 * stops while their mail is with the relay waits for it: the stop's update needs the rows this transaction holds.
 */
@ApplicationScoped
public class ReminderDispatcher {

    static final int SUBSCRIBERS_PER_ROUND = 100;
    /** Hibernate's lock timeout meaning SKIP LOCKED. */
    private static final int SKIP_LOCKED = -2;

    /** Nothing about a change held for approval goes out, not even what an earlier revision planned. */
    private static final String NOT_HELD = """
            not exists (select 1 from policy_change pc where pc.change_id = d.change_id and pc.awaiting_approval)""";

    private static final String DUE_SUBSCRIBERS = """
            select d.subscription_id from reminder d where d.status = 'PENDING' and d.next_attempt_at <= ?1 and %1$s
            union
            select d.subscription_id from follow_up d where d.status = 'PENDING' and d.next_attempt_at <= ?1 and %1$s"""
            .formatted(NOT_HELD);

    /** Why a row failed for good, for its outcome. */
    private record Failure(String reason, Integer smtpReplyCode) {
    }

    private final Clock clock;
    private final ReminderMailer reminderMailer;
    private final FollowUpMailer followUpMailer;
    private final NotificationOutcomes outcomes;
    private final Tokens tokens;
    private final SuppressionList suppressions;
    private final NotifierConfig.Delivery settings;
    private final RetryPolicy retry;
    private final SendPace pace;
    private final SendingSwitch sending;
    private final ReminderMetrics metrics;
    private final ReentrantLock dispatching = new ReentrantLock();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            runnable -> new Thread(runnable, "reminder-dispatcher"));

    ReminderDispatcher(Clock clock, ReminderMailer reminderMailer, FollowUpMailer followUpMailer,
            NotificationOutcomes outcomes, Tokens tokens, SuppressionList suppressions, SendingSwitch sending,
            ReminderMetrics metrics, NotifierConfig config) {
        this.clock = clock;
        this.reminderMailer = reminderMailer;
        this.followUpMailer = followUpMailer;
        this.outcomes = outcomes;
        this.tokens = tokens;
        this.suppressions = suppressions;
        this.sending = sending;
        this.metrics = metrics;
        this.settings = config.delivery();
        this.retry = new RetryPolicy(settings.retryInitial(), settings.retryMax(),
                () -> ThreadLocalRandom.current().nextDouble());
        this.pace = SendPace.perSecond(settings.maxMailsPerSecond());
    }

    @Scheduled(every = "${notifier.delivery.poll:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        worker.execute(() -> {
            try {
                dispatchDue();
            } catch (RuntimeException e) {
                Log.errorf("Dispatching reminders failed: %s", e.getClass().getName());
            }
        });
    }

    @PreDestroy
    void stop() {
        worker.shutdown();
    }

    /**
     * Sends everything due now; callers in one instance take turns. Stops when a round finds nothing it could take
     * (what is left is being sent by another instance, or waits for its next attempt).
     *
     * @return how many subscribers this call handled (sent, deferred or failed)
     */
    public int dispatchDue() {
        dispatching.lock();
        try {
            List<Long> subscribers;
            int handled;
            int total = 0;
            do {
                Instant roundStart = clock.instant();
                subscribers = new ArrayList<>(QuarkusTransaction.requiringNew().call(() -> Reminder.getEntityManager()
                        .createNativeQuery(DUE_SUBSCRIBERS, Long.class).setParameter(1, roundStart)
                        .setMaxResults(SUBSCRIBERS_PER_ROUND).getResultList()));
                // Instances reading the same page then spread over it instead of queueing behind one another.
                Collections.shuffle(subscribers);
                handled = 0;
                for (Long subscriber : subscribers) {
                    // An operator's pause takes hold before the next mail, not after the round.
                    if (sending.paused()) {
                        break;
                    }
                    try {
                        if (QuarkusTransaction.requiringNew().call(() -> dispatch(subscriber))) {
                            handled++;
                        }
                    } catch (RuntimeException e) {
                        Log.warnf("Mail for subscription %d not sent, retried next round: %s", subscriber,
                                e.getClass().getName());
                    }
                }
                total += handled;
            } while (subscribers.size() == SUBSCRIBERS_PER_ROUND && handled > 0);
            outcomes.relay();
            return total;
        } finally {
            dispatching.unlock();
        }
    }

    /** @return whether this instance claimed anything for the subscriber */
    private boolean dispatch(long subscriptionId) {
        Instant now = clock.instant();
        List<Reminder> claimedReminders = claim(Reminder.class, subscriptionId, now, "dueAt");
        List<FollowUp> claimedFollowUps = claim(FollowUp.class, subscriptionId, now, "id");
        Subscription subscription = Subscription.findById(subscriptionId);
        if (claimedReminders.isEmpty() && claimedFollowUps.isEmpty() || subscription == null) {
            return false;
        }
        // A planner that read the subscriber before they said "I have already opted out" may have queued more.
        List<String> optedOut = optedOutChanges(subscriptionId);
        List<Reminder> reminders = withoutOptedOut(claimedReminders, optedOut);
        List<FollowUp> followUps = withoutOptedOut(claimedFollowUps, optedOut);
        if (subscription.status != SubscriptionStatus.ACTIVE) {
            // Whatever was queued (during a pause, by a revision racing the unsubscribe): nothing goes out.
            reminders.forEach(Delivery::cancel);
            followUps.forEach(Delivery::cancel);
            Log.infof("Subscription %d no longer active: %d reminders and %d follow-ups cancelled", subscriptionId,
                    reminders.size(), followUps.size());
            return true;
        }
        if (suppressions.blocksMailTo(subscription.email)) {
            Failure suppressed = new Failure("suppressed", null);
            reminders.forEach(r -> failed(r, suppressed));
            followUps.forEach(f -> f.failed("address suppressed"));
            Log.infof("Subscription %d: address suppressed, %d reminders failed", subscriptionId, reminders.size());
            return true;
        }
        sendReminders(subscription, reminders);
        sendFollowUps(subscription, followUps);
        return true;
    }

    private static List<String> optedOutChanges(long subscriptionId) {
        return Reminder.getEntityManager().createNativeQuery(
                "select o.change_id from opted_out o where o.subscription_id = ?1", String.class)
                .setParameter(1, subscriptionId).getResultList();
    }

    /** The rows of changes the subscriber has not opted out of; the others are cancelled. */
    private static <T extends Delivery> List<T> withoutOptedOut(List<T> rows, List<String> optedOut) {
        if (optedOut.isEmpty()) {
            return rows;
        }
        rows.stream().filter(row -> optedOut.contains(row.changeId)).forEach(Delivery::cancel);
        return rows.stream().filter(row -> !optedOut.contains(row.changeId)).toList();
    }

    private <T extends Delivery> List<T> claim(Class<T> type, long subscriptionId, Instant now, String order) {
        return Reminder.getEntityManager().createQuery("from " + type.getSimpleName() + " d where d.subscriptionId = ?1 "
                + "and d.status = ?2 and d.nextAttemptAt <= ?3 and not exists (select 1 from PolicyChange pc "
                + "where pc.changeId = d.changeId and pc.awaitingApproval) order by d." + order, type)
                .setParameter(1, subscriptionId).setParameter(2, ReminderStatus.PENDING).setParameter(3, now)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .getResultList();
    }

    /**
     * A send can take as long as the send timeout, and a round many sends: the deadline is judged by the clock when
     * this mail is about to go, not when the round or the claim began.
     */
    private void sendReminders(Subscription subscription, List<Reminder> reminders) {
        if (reminders.isEmpty()) {
            return;
        }
        pace.awaitSlot();
        Instant now = clock.instant();
        Map<Reminder, PolicyChange> sendable = new LinkedHashMap<>();
        for (Reminder reminder : reminders) {
            PolicyChange change = PolicyChange.findByChangeId(reminder.changeId).orElseThrow();
            if (!now.isBefore(deadline(change, subscription))) {
                failed(reminder, new Failure("deadline-passed", null));
                Log.warnf("Reminder %d found after its deadline: not sent", reminder.id);
            } else {
                sendable.put(reminder, change);
            }
        }
        if (sendable.isEmpty()) {
            return;
        }
        List<ReminderMailer.Item> items = sendable.entrySet().stream()
                .map(e -> new ReminderMailer.Item(e.getKey().id, e.getValue())).toList();
        boolean sent = send(subscription, List.copyOf(sendable.keySet()), now,
                () -> reminderMailer.send(subscription, items),
                reminder -> deadline(sendable.get(reminder), subscription).minus(settings.giveUpBeforeDeadline()),
                this::failed);
        if (sent) {
            for (Map.Entry<Reminder, PolicyChange> entry : sendable.entrySet()) {
                Reminder reminder = entry.getKey();
                PolicyChange change = entry.getValue();
                // What the mail showed: a later revision compares its date with this one.
                reminder.revision = change.revision;
                reminder.announcedEffective = change.effectiveKey();
                outcomes.record(reminder.changeId, NotificationOutcomes.SENT_TYPE,
                        new NotificationOutcomes.ReminderSent(reminder.changeId, reminder.revision, reminder.leadDay,
                                reminder.catchUp, pseudonym(subscription.id)));
            }
            metrics.sent(items.size());
            Log.infof("Reminders %s sent to subscription %d", items.stream().map(ReminderMailer.Item::reminderId).toList(),
                    subscription.id);
        }
    }

    private void sendFollowUps(Subscription subscription, List<FollowUp> followUps) {
        if (followUps.isEmpty()) {
            return;
        }
        pace.awaitSlot();
        Instant now = clock.instant();
        List<FollowUpMailer.Item> items = followUps.stream().map(f -> new FollowUpMailer.Item(f.id,
                PolicyChange.findByChangeId(f.changeId).orElseThrow(), f.kind == FollowUp.Kind.NO_LONGER_NEEDED))
                .toList();
        boolean sent = send(subscription, followUps, now, () -> followUpMailer.send(subscription, items),
                followUp -> followUp.createdAt.plus(settings.followUpRetryFor()),
                (followUp, failure) -> Log.warnf("Follow-up %d failed: %s", followUp.id, failure.reason()));
        if (sent) {
            for (FollowUpMailer.Item item : items) {
                if (!item.calledOff()) {
                    Reminder.update("announcedEffective = ?1 where subscriptionId = ?2 and changeId = ?3 "
                            + "and status = ?4", item.change().effectiveKey(), subscription.id,
                            item.change().changeId, ReminderStatus.SENT);
                }
            }
            Log.infof("Follow-ups %s sent to subscription %d", followUps.stream().map(f -> f.id).toList(),
                    subscription.id);
        }
    }

    /**
     * Sends one mail for the rows and records the result on them: sent; retried later after a transient failure; or
     * failed for good (a permanent failure, or no time left before {@code giveUpAt}).
     *
     * @return whether the mail was accepted
     */
    private <T extends Delivery> boolean send(Subscription subscription, List<T> rows, Instant now,
            Supplier<Uni<Void>> mail,
            Function<T, Instant> giveUpAt, BiConsumer<T, Failure> onFailed) {
        try {
            metrics.timeSmtp(() -> mail.get().await().atMost(settings.sendTimeout()));
        } catch (RuntimeException e) {
            SmtpFailure failure = SmtpFailure.of(e);
            Log.warnf("Mail to subscription %d not accepted: %s", subscription.id, failure.reason());
            metrics.refused(failure);
            for (T row : rows) {
                Optional<Instant> next = failure.retryable()
                        ? retry.next(row.attempts + 1, now, giveUpAt.apply(row)) : Optional.empty();
                if (next.isPresent()) {
                    row.retryAt(next.get(), failure.reason());
                    metrics.retried(1);
                } else {
                    row.failed(failure.reason());
                    onFailed.accept(row, new Failure(failure.bounce() ? "rejected" : "retries-exhausted",
                            failure.replyCode()));
                }
            }
            if (failure.bounce()) {
                bounced(subscription);
            }
            return false;
        }
        subscription.bounces = 0;
        rows.forEach(row -> row.sent(now));
        return true;
    }

    private void bounced(Subscription subscription) {
        subscription.bounces++;
        if (subscription.bounces >= settings.bouncesBeforeSuppression()) {
            suppressions.suppress(subscription.email, SuppressionList.Reason.BOUNCE);
        }
    }

    private void failed(Reminder reminder, Failure failure) {
        if (reminder.status != ReminderStatus.FAILED) {
            reminder.failed(failure.reason());
        }
        metrics.failed(failure.reason());
        outcomes.record(reminder.changeId, NotificationOutcomes.FAILED_TYPE, new NotificationOutcomes.ReminderFailed(
                reminder.changeId, reminder.revision, reminder.leadDay, reminder.catchUp,
                pseudonym(reminder.subscriptionId), failure.reason(), failure.smtpReplyCode()));
    }

    private String pseudonym(long subscriptionId) {
        return tokens.pseudonym("subscriber:" + subscriptionId);
    }

    private static Instant deadline(PolicyChange change, Subscription subscription) {
        return ReminderSchedule.deadline(change.effectiveDate, change.effectiveAt, ZoneId.of(subscription.timeZone));
    }
}
