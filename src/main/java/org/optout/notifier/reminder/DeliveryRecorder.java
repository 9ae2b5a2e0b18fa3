package org.optout.notifier.reminder;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.optout.notifier.config.NotifierConfig;
import org.optout.notifier.delivery.FollowUpMailer;
import org.optout.notifier.delivery.MailSender;
import org.optout.notifier.delivery.RetryPolicy;
import org.optout.notifier.delivery.SmtpFailure;
import org.optout.notifier.outcome.NotificationOutcomes;
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.subscription.Subscriber;
import org.optout.notifier.subscription.SuppressionList;
import org.optout.notifier.subscription.Tokens;

/**
 * Records what became of a batch's mails on their rows, with their outcomes in the outbox, in the batch's transaction:
 * sent; retried later after a transient failure; failed for good (a permanent failure, no time left before the
 * deadline, suppressed); or untouched, to go out in a later batch (a mail stopped by a pause before it started).
 * A mailbox's permanent refusals count towards the address's suppression (see {@link SmtpFailure}).
 */
@ApplicationScoped
class DeliveryRecorder {

    /** Why a row failed for good, for its outcome. */
    record Failure(String reason, Integer smtpReplyCode) {
    }

    private final EntityManager em;
    private final NotificationOutcomes outcomes;
    private final Tokens tokens;
    private final SuppressionList suppressions;
    private final ReminderMetrics metrics;
    private final NotifierConfig.Delivery settings;
    private final RetryPolicy retry;

    DeliveryRecorder(EntityManager em, NotificationOutcomes outcomes, Tokens tokens, SuppressionList suppressions,
            ReminderMetrics metrics, NotifierConfig config) {
        this.em = em;
        this.outcomes = outcomes;
        this.tokens = tokens;
        this.suppressions = suppressions;
        this.metrics = metrics;
        this.settings = config.delivery();
        this.retry = new RetryPolicy(settings.retryInitial(), settings.retryMax(),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * The batch's results, with what the batch recorded before sending (failed or suppressed at claim time): the rows'
     * changes and their outcomes in the outbox, written together.
     */
    void record(List<MailSender.Sent<Mailing>> batch, BatchResults results) {
        batch.forEach(sent -> record(sent, results));
        results.write(em);
        outcomes.recordAll(results.outcomes());
    }

    private void record(MailSender.Sent<Mailing> sent, BatchResults results) {
        Mailing mailing = sent.about();
        if (sent.notStarted() != null) {
            if (mailing instanceof Mailing.Reminders reminders) {
                stillDue(reminders, sent.startedAt(), results);
            }
            return;
        }
        metrics.smtp(sent.took(), sent.accepted());
        if (sent.accepted()) {
            accepted(mailing, sent.startedAt(), results);
        } else {
            refused(mailing, sent.failure(), sent.startedAt(), results);
        }
    }

    /** The reminders whose deadline has come fail; the others, returned, go out now or in a later batch. */
    Mailing.Reminders stillDue(Mailing.Reminders mailing, Instant now, BatchResults results) {
        List<DueRow.ReminderRow> rows = new ArrayList<>();
        List<PolicyChange> changes = new ArrayList<>();
        for (int i = 0; i < mailing.rows().size(); i++) {
            DueRow.ReminderRow row = mailing.rows().get(i);
            if (!now.isBefore(deadline(mailing.changes().get(i), mailing.subscriber()))) {
                failed(row, new Failure("deadline-passed", null), results);
                Log.warnf("Reminder %d found after its deadline: not sent", row.id());
            } else {
                rows.add(row);
                changes.add(mailing.changes().get(i));
            }
        }
        return new Mailing.Reminders(mailing.subscriber(), mailing.bounces(), rows, changes);
    }

    /** Stops reminders to an address that bounces or complained. */
    void suppressed(Subscriber subscriber, List<DueRow.ReminderRow> reminders, List<DueRow.FollowUpRow> followUps,
            BatchResults results) {
        Failure suppressed = new Failure("suppressed", null);
        reminders.forEach(r -> failed(r, suppressed, results));
        followUps.forEach(f -> results.failed(f, "address suppressed"));
        Log.infof("Subscription %d: address suppressed, %d reminders failed", subscriber.id(), reminders.size());
    }

    private void accepted(Mailing mailing, Instant now, BatchResults results) {
        results.delivered(mailing);
        if (mailing instanceof Mailing.Reminders reminders) {
            for (int i = 0; i < reminders.rows().size(); i++) {
                DueRow.ReminderRow reminder = reminders.rows().get(i);
                PolicyChange change = reminders.changes().get(i);
                results.sent(reminder, now, change.revision, change.effectiveKey());
                results.outcome(new NotificationOutcomes.Outcome(reminder.changeId(), NotificationOutcomes.SENT_TYPE,
                        new NotificationOutcomes.ReminderSent(reminder.changeId(), change.revision,
                                reminder.leadDay(), reminder.catchUp(), pseudonym(reminder.subscriptionId()))));
            }
            metrics.sent(reminders.rows().size());
            Log.debugf("Reminders %s sent to subscription %d", reminders.rows().stream().map(DueRow::id).toList(),
                    reminders.subscriber().id());
        } else if (mailing instanceof Mailing.FollowUps followUps) {
            followUps.rows().forEach(row -> results.sent(row, now));
            for (FollowUpMailer.Item item : followUps.items()) {
                if (!item.calledOff()) {
                    Reminder.update("announcedEffective = ?1 where subscriptionId = ?2 and changeId = ?3 "
                            + "and status = ?4", item.change().effectiveKey(), followUps.subscriber().id(),
                            item.change().changeId, ReminderStatus.SENT);
                }
            }
        }
    }

    private void refused(Mailing mailing, SmtpFailure failure, Instant now, BatchResults results) {
        Subscriber subscriber = mailing.subscriber();
        Log.warnf("Mail to subscription %d not accepted: %s", subscriber.id(), failure.reason());
        metrics.refused(failure);
        for (DueRow row : mailing.rows()) {
            Optional<Instant> next = failure.retryable()
                    ? retry.next(row.attempts() + 1, now, giveUpAt(mailing, row)) : Optional.empty();
            if (next.isPresent()) {
                results.retryAt(row, next.get(), failure.reason());
                metrics.retried(1);
            } else if (row instanceof DueRow.ReminderRow reminder) {
                failed(reminder, failure.reason(), new Failure(failure.bounce() ? "rejected" : "retries-exhausted",
                        failure.replyCode()), results);
            } else {
                results.failed(row, failure.reason());
                Log.warnf("Follow-up %d failed: %s", row.id(), failure.reason());
            }
        }
        if (failure.bounce() && results.bounced(mailing) >= settings.bouncesBeforeSuppression()) {
            suppressions.suppress(subscriber.email(), SuppressionList.Reason.BOUNCE);
        }
    }

    private Instant giveUpAt(Mailing mailing, DueRow row) {
        if (mailing instanceof Mailing.Reminders reminders) {
            PolicyChange change = reminders.changes().get(reminders.rows().indexOf(row));
            return deadline(change, mailing.subscriber()).minus(settings.giveUpBeforeDeadline());
        }
        return ((DueRow.FollowUpRow) row).createdAt().plus(settings.followUpRetryFor());
    }

    private void failed(DueRow.ReminderRow reminder, Failure failure, BatchResults results) {
        failed(reminder, failure.reason(), failure, results);
    }

    /** The row keeps the SMTP reply, where there is one; the outcome says which kind of failure it was. */
    private void failed(DueRow.ReminderRow reminder, String rowReason, Failure failure, BatchResults results) {
        if (!results.failed(reminder, rowReason)) {
            return;
        }
        metrics.failed(failure.reason());
        results.outcome(new NotificationOutcomes.Outcome(reminder.changeId(), NotificationOutcomes.FAILED_TYPE,
                new NotificationOutcomes.ReminderFailed(reminder.changeId(), reminder.revision(),
                        reminder.leadDay(), reminder.catchUp(), pseudonym(reminder.subscriptionId()),
                        failure.reason(), failure.smtpReplyCode())));
    }

    private String pseudonym(long subscriptionId) {
        return tokens.pseudonym("subscriber:" + subscriptionId);
    }

    static Instant deadline(PolicyChange change, Subscriber subscriber) {
        return ReminderSchedule.deadline(change.effectiveDate, change.effectiveAt, ZoneId.of(subscriber.timeZone()));
    }
}
