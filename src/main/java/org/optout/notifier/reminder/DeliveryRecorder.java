package org.optout.notifier.reminder;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneId;
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
import org.optout.notifier.subscription.Subscription;
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

    private final NotificationOutcomes outcomes;
    private final Tokens tokens;
    private final SuppressionList suppressions;
    private final ReminderMetrics metrics;
    private final NotifierConfig.Delivery settings;
    private final RetryPolicy retry;

    DeliveryRecorder(NotificationOutcomes outcomes, Tokens tokens, SuppressionList suppressions,
            ReminderMetrics metrics, NotifierConfig config) {
        this.outcomes = outcomes;
        this.tokens = tokens;
        this.suppressions = suppressions;
        this.metrics = metrics;
        this.settings = config.delivery();
        this.retry = new RetryPolicy(settings.retryInitial(), settings.retryMax(),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * The batch's results; their outcomes, with those the batch recorded before sending ({@code recorded}: what was
     * failed or suppressed at claim time), are written to the outbox together.
     */
    void record(List<MailSender.Sent<Mailing>> batch, List<NotificationOutcomes.Outcome> recorded) {
        batch.forEach(sent -> record(sent, recorded));
        outcomes.recordAll(recorded);
    }

    private void record(MailSender.Sent<Mailing> sent, List<NotificationOutcomes.Outcome> recorded) {
        Mailing mailing = sent.about();
        if (sent.notStarted() != null) {
            if (mailing instanceof Mailing.Reminders reminders) {
                failPastDeadline(reminders, sent.startedAt(), recorded);
            }
            return;
        }
        metrics.smtp(sent.took(), sent.accepted());
        if (sent.accepted()) {
            accepted(mailing, sent.startedAt(), recorded);
        } else {
            refused(mailing, sent.failure(), sent.startedAt(), recorded);
        }
    }

    /** The reminders whose deadline has come fail; the others of the mail go out in a later batch. */
    void failPastDeadline(Mailing.Reminders mailing, Instant now, List<NotificationOutcomes.Outcome> recorded) {
        for (int i = 0; i < mailing.rows().size(); i++) {
            if (!now.isBefore(deadline(mailing.changes().get(i), mailing.subscription()))) {
                failed(mailing.rows().get(i), new Failure("deadline-passed", null), recorded);
                Log.warnf("Reminder %d found after its deadline: not sent", mailing.rows().get(i).id);
            }
        }
    }

    /** Stops reminders to an address that bounces or complained. */
    void suppressed(Subscription subscription, List<Reminder> reminders, List<FollowUp> followUps,
            List<NotificationOutcomes.Outcome> recorded) {
        Failure suppressed = new Failure("suppressed", null);
        reminders.forEach(r -> failed(r, suppressed, recorded));
        followUps.forEach(f -> f.failed("address suppressed"));
        Log.infof("Subscription %d: address suppressed, %d reminders failed", subscription.id, reminders.size());
    }

    private void accepted(Mailing mailing, Instant now, List<NotificationOutcomes.Outcome> recorded) {
        mailing.subscription().bounces = 0;
        mailing.rows().forEach(row -> row.sent(now));
        if (mailing instanceof Mailing.Reminders reminders) {
            for (int i = 0; i < reminders.rows().size(); i++) {
                Reminder reminder = reminders.rows().get(i);
                PolicyChange change = reminders.changes().get(i);
                // What the mail showed: a later revision compares its date with this one.
                reminder.revision = change.revision;
                reminder.announcedEffective = change.effectiveKey();
                recorded.add(new NotificationOutcomes.Outcome(reminder.changeId, NotificationOutcomes.SENT_TYPE,
                        new NotificationOutcomes.ReminderSent(reminder.changeId, reminder.revision, reminder.leadDay,
                                reminder.catchUp, pseudonym(reminder.subscriptionId))));
            }
            metrics.sent(reminders.rows().size());
            Log.debugf("Reminders %s sent to subscription %d", reminders.rows().stream().map(r -> r.id).toList(),
                    reminders.subscription().id);
        } else if (mailing instanceof Mailing.FollowUps followUps) {
            for (FollowUpMailer.Item item : followUps.items()) {
                if (!item.calledOff()) {
                    Reminder.update("announcedEffective = ?1 where subscriptionId = ?2 and changeId = ?3 "
                            + "and status = ?4", item.change().effectiveKey(), followUps.subscription().id,
                            item.change().changeId, ReminderStatus.SENT);
                }
            }
        }
    }

    private void refused(Mailing mailing, SmtpFailure failure, Instant now,
            List<NotificationOutcomes.Outcome> recorded) {
        Subscription subscription = mailing.subscription();
        Log.warnf("Mail to subscription %d not accepted: %s", subscription.id, failure.reason());
        metrics.refused(failure);
        for (Delivery row : mailing.rows()) {
            Optional<Instant> next = failure.retryable()
                    ? retry.next(row.attempts + 1, now, giveUpAt(mailing, row)) : Optional.empty();
            if (next.isPresent()) {
                row.retryAt(next.get(), failure.reason());
                metrics.retried(1);
            } else {
                row.failed(failure.reason());
                if (row instanceof Reminder reminder) {
                    failed(reminder, new Failure(failure.bounce() ? "rejected" : "retries-exhausted",
                            failure.replyCode()), recorded);
                } else {
                    Log.warnf("Follow-up %d failed: %s", row.id, failure.reason());
                }
            }
        }
        if (failure.bounce()) {
            subscription.bounces++;
            if (subscription.bounces >= settings.bouncesBeforeSuppression()) {
                suppressions.suppress(subscription.email, SuppressionList.Reason.BOUNCE);
            }
        }
    }

    private Instant giveUpAt(Mailing mailing, Delivery row) {
        if (mailing instanceof Mailing.Reminders reminders) {
            PolicyChange change = reminders.changes().get(reminders.rows().indexOf(row));
            return deadline(change, mailing.subscription()).minus(settings.giveUpBeforeDeadline());
        }
        return row.createdAt.plus(settings.followUpRetryFor());
    }

    private void failed(Reminder reminder, Failure failure, List<NotificationOutcomes.Outcome> recorded) {
        if (reminder.status != ReminderStatus.FAILED) {
            reminder.failed(failure.reason());
        }
        metrics.failed(failure.reason());
        recorded.add(new NotificationOutcomes.Outcome(reminder.changeId, NotificationOutcomes.FAILED_TYPE,
                new NotificationOutcomes.ReminderFailed(reminder.changeId, reminder.revision, reminder.leadDay,
                        reminder.catchUp, pseudonym(reminder.subscriptionId), failure.reason(),
                        failure.smtpReplyCode())));
    }

    private String pseudonym(long subscriptionId) {
        return tokens.pseudonym("subscriber:" + subscriptionId);
    }

    static Instant deadline(PolicyChange change, Subscription subscription) {
        return ReminderSchedule.deadline(change.effectiveDate, change.effectiveAt, ZoneId.of(subscription.timeZone));
    }
}
