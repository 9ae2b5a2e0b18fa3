package org.optout.notifier.reminder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.optout.notifier.delivery.SmtpFailure;
import org.optout.notifier.policy.ChangeApproval;

/**
 * What an operator graphs and alerts on (listed in the README, Operating it; used by deploy/monitoring/). The backlog gauges are
 * read from the database on a schedule rather than at each scrape, and are the same on every instance: graph their
 * maximum, not their sum.
 */
@ApplicationScoped
public class ReminderMetrics {

    /** Every reason the dispatcher fails a reminder for, registered at start so that each series begins at 0. */
    static final List<String> FAILURE_REASONS = List.of("rejected", "retries-exhausted", "suppressed",
            "deadline-passed");

    private final MeterRegistry registry;
    private final EntityManager em;
    private final Clock clock;
    private final SendingSwitch sending;
    private final Counter planned;
    private final Counter sent;
    private final Counter retried;
    private final Timer smtpAccepted;
    private final Timer smtpFailed;
    private final AtomicLong due = new AtomicLong();
    private final AtomicLong oldestDueSeconds = new AtomicLong();
    private final AtomicLong paused = new AtomicLong();
    private final AtomicLong awaitingApproval = new AtomicLong();

    ReminderMetrics(MeterRegistry registry, EntityManager em, Clock clock, SendingSwitch sending) {
        this.registry = registry;
        this.em = em;
        this.clock = clock;
        this.sending = sending;
        this.planned = Counter.builder("optout.reminders.planned").description("Reminders planned").register(registry);
        this.sent = Counter.builder("optout.reminders.sent").description("Reminders accepted by the SMTP server")
                .register(registry);
        this.retried = Counter.builder("optout.reminders.retried")
                .description("Reminders deferred after a transient SMTP failure").register(registry);
        this.smtpAccepted = smtpTimer("accepted");
        this.smtpFailed = smtpTimer("failed");
        Gauge.builder("optout.reminders.due", due, AtomicLong::get)
                .description("Reminders due and not yet sent").register(registry);
        Gauge.builder("optout.reminders.oldest.due.age", oldestDueSeconds, AtomicLong::get).baseUnit("seconds")
                .description("How long the oldest due reminder has waited; 0 when none").register(registry);
        Gauge.builder("optout.sending.paused", paused, AtomicLong::get)
                .description("1 while an operator has paused sending").register(registry);
        Gauge.builder("optout.changes.awaiting.approval", awaitingApproval, AtomicLong::get)
                .description("Policy changes held until an operator approves them").register(registry);
        FAILURE_REASONS.forEach(this::failedCounter);
        for (SmtpFailure.Stage stage : SmtpFailure.Stage.values()) {
            refusedCounter(SmtpFailure.Verdict.RELAY, stage);
            refusedCounter(SmtpFailure.Verdict.MAILBOX, stage);
        }
    }

    void planned(int reminders) {
        planned.increment(reminders);
    }

    void sent(int reminders) {
        sent.increment(reminders);
    }

    void retried(int reminders) {
        retried.increment(reminders);
    }

    void failed(String reason) {
        failedCounter(reason).increment();
    }

    /** A 5xx reply, by what it judged and where: a relay's refusals are what an operator is alerted to. */
    void refused(SmtpFailure failure) {
        if (failure.verdict() != SmtpFailure.Verdict.TRANSIENT) {
            refusedCounter(failure.verdict(), failure.stage()).increment();
        }
    }

    private Counter refusedCounter(SmtpFailure.Verdict verdict, SmtpFailure.Stage stage) {
        return Counter.builder("optout.smtp.refusals")
                .description("Mails the SMTP server refused for good (5xx), by verdict (mailbox or relay) and stage")
                .tag("verdict", verdict.name().toLowerCase(java.util.Locale.ROOT))
                .tag("stage", stage.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
    }

    private Counter failedCounter(String reason) {
        return Counter.builder("optout.reminders.failed").description("Reminders that will not be sent")
                .tag("reason", reason).register(registry);
    }

    /** How long the SMTP server took to answer a mail, accepted and failed sends apart (a timeout would skew the rest). */
    void smtp(Duration took, boolean accepted) {
        (accepted ? smtpAccepted : smtpFailed).record(took);
    }

    private Timer smtpTimer(String outcome) {
        return Timer.builder("optout.smtp.send").description("Time the SMTP server takes to answer a mail")
                .tag("outcome", outcome).publishPercentileHistogram().register(registry);
    }

    @Scheduled(every = "${notifier.metrics.backlog-refresh:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public void refreshBacklog() {
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> {
            // By the planned instant, not the next attempt: retries must not make a stuck reminder look young.
            Object[] row = em.createQuery("select count(r), min(r.dueAt) from Reminder r "
                    + "where r.status = ?1 and r.dueAt <= ?2 and not exists (select 1 from PolicyChange pc "
                    + "where pc.changeId = r.changeId and pc.awaitingApproval)", Object[].class)
                    .setParameter(1, ReminderStatus.PENDING).setParameter(2, now).getSingleResult();
            due.set((Long) row[0]);
            oldestDueSeconds.set(row[1] == null ? 0 : Duration.between((Instant) row[1], now).toSeconds());
            paused.set(sending.paused() ? 1 : 0);
            awaitingApproval.set(ChangeApproval.awaiting());
        });
    }
}
