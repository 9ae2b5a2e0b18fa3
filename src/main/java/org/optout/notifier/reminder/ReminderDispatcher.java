package org.optout.notifier.reminder;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import org.optout.notifier.delivery.NotificationOutcomes;
import org.optout.notifier.delivery.ReminderMailer;
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.subscription.Subscription;
import org.optout.notifier.subscription.Tokens;

/**
 * Sends due reminders. Due-ness is decided with the injected clock, not the database's. For each subscriber with
 * something due, one transaction locks their due reminders, sends them as one mail (a digest when there are several)
 * and marks them sent: a reminder another instance already sent is no longer pending when the lock is granted, and
 * one whose mail failed stays pending for the next round. A crash between the SMTP server's acceptance and the commit
 * can send that one mail again (at-least-once at the SMTP boundary); nothing is lost. A reminder found after its
 * change's deadline is never sent.
 */
@ApplicationScoped
public class ReminderDispatcher {

    static final int SUBSCRIBERS_PER_ROUND = 100;

    private final Clock clock;
    private final ReminderMailer mailer;
    private final NotificationOutcomes outcomes;
    private final Tokens tokens;
    private final ReentrantLock dispatching = new ReentrantLock();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            runnable -> new Thread(runnable, "reminder-dispatcher"));

    ReminderDispatcher(Clock clock, ReminderMailer mailer, NotificationOutcomes outcomes, Tokens tokens) {
        this.clock = clock;
        this.mailer = mailer;
        this.outcomes = outcomes;
        this.tokens = tokens;
    }

    @Scheduled(every = "15s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
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

    /** Sends everything due now; callers take turns. */
    public void dispatchDue() {
        dispatching.lock();
        try {
            List<Long> subscribers;
            do {
                Instant now = clock.instant();
                subscribers = QuarkusTransaction.requiringNew().call(() -> Reminder.getEntityManager()
                        .createQuery("select distinct r.subscriptionId from Reminder r where r.status = ?1 "
                                + "and r.dueAt <= ?2", Long.class)
                        .setParameter(1, ReminderStatus.PENDING).setParameter(2, now)
                        .setMaxResults(SUBSCRIBERS_PER_ROUND).getResultList());
                for (Long subscriber : subscribers) {
                    try {
                        QuarkusTransaction.requiringNew().run(() -> dispatch(subscriber, now));
                    } catch (RuntimeException e) {
                        Log.warnf("Reminders for subscription %d not sent, retried next round: %s", subscriber,
                                e.getClass().getName());
                    }
                }
            } while (subscribers.size() == SUBSCRIBERS_PER_ROUND);
            outcomes.relay();
        } finally {
            dispatching.unlock();
        }
    }

    private void dispatch(long subscriptionId, Instant now) {
        List<Reminder> due = Reminder.<Reminder>find("subscriptionId = ?1 and status = ?2 and dueAt <= ?3 order by dueAt",
                subscriptionId, ReminderStatus.PENDING, now).withLock(LockModeType.PESSIMISTIC_WRITE).list();
        Subscription subscription = Subscription.findById(subscriptionId);
        if (due.isEmpty() || subscription == null) {
            return;
        }
        List<ReminderMailer.Item> items = new ArrayList<>();
        for (Reminder reminder : due) {
            PolicyChange change = PolicyChange.findByChangeId(reminder.changeId).orElse(null);
            Instant deadline = change == null ? now : ReminderSchedule.deadline(change.effectiveDate,
                    change.effectiveAt, ZoneId.of(subscription.timeZone));
            if (!now.isBefore(deadline)) {
                reminder.status = ReminderStatus.CANCELLED;
                Log.warnf("Reminder %d found after its deadline: not sent", reminder.id);
            } else {
                items.add(new ReminderMailer.Item(reminder.id, change));
            }
        }
        if (!items.isEmpty()) {
            mailer.send(subscription, items);
            String pseudonym = tokens.pseudonym("subscriber:" + subscriptionId);
            due.stream().filter(r -> r.status == ReminderStatus.PENDING).forEach(r -> {
                r.status = ReminderStatus.SENT;
                outcomes.record(r.changeId, NotificationOutcomes.SENT_TYPE, new NotificationOutcomes.ReminderSent(
                        r.changeId, r.revision, r.leadDay, r.catchUp, pseudonym));
            });
            Log.infof("Reminders %s sent to subscription %d", items.stream().map(ReminderMailer.Item::reminderId)
                    .toList(), subscriptionId);
        }
    }
}
