package org.optout.notifier.benchmark.peer;

import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.optout.notifier.config.NotifierConfig;
import io.quarkus.mailer.reactive.ReactiveMailer;
import org.optout.notifier.delivery.ReminderMailer;
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.reminder.Reminder;
import org.optout.notifier.reminder.ReminderStatus;
import org.optout.notifier.subscription.Subscription;

/**
 * The one-time task a team would write with db-scheduler: one reminder per execution (its id is the task data), mailed
 * with the service's {@link ReminderMailer} and marked sent in one transaction. A failure throws, and db-scheduler
 * retries the execution with the service's backoff.
 */
final class ReminderTask {

    static final String NAME = "send-reminder";

    private final ReminderMailer mailer;
    private final ReactiveMailer smtp;
    private final Clock clock;
    private final NotifierConfig.Delivery settings;
    private final AtomicInteger sent = new AtomicInteger();

    ReminderTask(ReminderMailer mailer, ReactiveMailer smtp, Clock clock, NotifierConfig.Delivery settings) {
        this.mailer = mailer;
        this.smtp = smtp;
        this.clock = clock;
        this.settings = settings;
    }

    OneTimeTask<Long> definition() {
        // The service's backoff (retry-initial, doubled each time) rather than db-scheduler's fixed 5 minutes, so that a
        // mail that times out costs both the same.
        return Tasks.oneTime(NAME, Long.class)
                .onFailure(new FailureHandler.ExponentialBackoffFailureHandler<>(settings.retryInitial(), 2.0))
                .execute((instance, context) -> send(instance.getData()));
    }

    /** Mails accepted by the SMTP server and recorded. */
    int sent() {
        return sent.get();
    }

    private void send(long reminderId) {
        boolean mailed = QuarkusTransaction.requiringNew().call(() -> {
            Reminder reminder = Reminder.findById(reminderId);
            // Another run, or the service, may have sent it already.
            if (reminder == null || reminder.status != ReminderStatus.PENDING) {
                return false;
            }
            Subscription subscription = Subscription.findById(reminder.subscriptionId);
            PolicyChange change = PolicyChange.findByChangeId(reminder.changeId).orElseThrow();
            smtp.send(mailer.mail(subscription.subscriber(), List.of(new ReminderMailer.Item(reminder.id, change))))
                    .await().atMost(settings.sendTimeout());
            reminder.status = ReminderStatus.SENT;
            reminder.sentAt = clock.instant();
            reminder.attempts++;
            return true;
        });
        if (mailed) {
            sent.incrementAndGet();
        }
    }
}
