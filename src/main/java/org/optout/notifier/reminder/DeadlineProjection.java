package org.optout.notifier.reminder;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.optout.notifier.delivery.SendingBudget;
import org.optout.notifier.policy.PolicyChange;

/**
 * Will every reminder waiting for a change leave before the change's deadline? The waiting reminders of all changes
 * are one queue, sent in the order they fall due at the deployment's sending rate: the quota
 * ({@code notifier.delivery.max-mails-per-second}), or less when the replicas measurably send less (a slow relay, too
 * few sessions). Projecting that queue gives, for each change, when its last reminder leaves, its earliest deadline
 * among the subscribers still waiting (deadlines are local), the margin between the two, and how many reminders would
 * come too late. One mail per reminder, so a subscriber who gets several in one mail makes it err on the late side.
 */
@ApplicationScoped
@Startup // so that its gauges are there, at 0, from the first scrape
public class DeadlineProjection {

    /** The window over which the sending rate is measured. */
    static final Duration MEASURED = Duration.ofMinutes(1);

    /**
     * A change's projection: its reminders waiting, the earliest deadline among their subscribers, when the last of
     * them leaves, the margin (negative: too late) and how many would come too late, at that rate. The last three are
     * null when no rate is known (no quota and nothing measured yet).
     */
    public record Projection(long waiting, Instant deadline, Instant lastSent, Long marginSeconds, Long late,
            double mailsPerSecond) {
    }

    private final EntityManager em;
    private final Clock clock;
    private final SendingBudget budget;
    private final MultiGauge margins;
    private final MultiGauge lateReminders;
    private final AtomicLong changesLate = new AtomicLong();

    DeadlineProjection(EntityManager em, Clock clock, SendingBudget budget, MeterRegistry registry) {
        this.em = em;
        this.clock = clock;
        this.budget = budget;
        this.margins = MultiGauge.builder("optout.change.deadline.margin").baseUnit("seconds")
                .description("Per change with reminders waiting: its earliest deadline less when the last of them is "
                        + "projected to leave (negative: too late)").register(registry);
        this.lateReminders = MultiGauge.builder("optout.change.reminders.late")
                .description("Per change: reminders projected to leave at or after their deadline (never sent)")
                .register(registry);
        Gauge.builder("optout.changes.late", changesLate, AtomicLong::get)
                .description("Changes whose waiting reminders are projected not all to leave before their deadline")
                .register(registry);
    }

    /**
     * The gauges, from the database every 30 s; the same on every replica (graph their maximum). A reading that fails
     * keeps the last one.
     */
    @Scheduled(every = "30s", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void refresh() {
        Map<String, Projection> projections = QuarkusTransaction.requiringNew().call(this::byChange);
        margins.register(rows(projections, Projection::marginSeconds), true);
        lateReminders.register(rows(projections, Projection::late), true);
        changesLate.set(projections.values().stream()
                .filter(p -> p.marginSeconds() != null && p.marginSeconds() < 0).count());
    }

    private static List<MultiGauge.Row<?>> rows(Map<String, Projection> projections,
            Function<Projection, Long> value) {
        return projections.entrySet().stream().filter(e -> value.apply(e.getValue()) != null)
                .<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(Tags.of("change", e.getKey()),
                        value.apply(e.getValue())))
                .toList();
    }

    /** Each change with reminders waiting, by change id; in the caller's transaction. */
    public Map<String, Projection> byChange() {
        Instant now = clock.instant();
        return project(waitingInDueOrder(), earliestDeadlines(), rate(now), now);
    }

    /** Reminders of a change that fall due at one instant. */
    record Waiting(String changeId, Instant due, long reminders) {
    }

    /** The queue of {@code waiting} (in due order) sent from {@code now} at {@code rate} (0: unknown). */
    static Map<String, Projection> project(List<Waiting> waiting, Map<String, Instant> deadlines, double rate,
            Instant now) {
        Map<String, Queued> queued = new HashMap<>();
        Instant finished = now;
        for (Waiting group : waiting) {
            Queued sofar = queued.computeIfAbsent(group.changeId(), c -> new Queued());
            sofar.waiting += group.reminders();
            if (rate > 0) {
                Instant start = group.due().isAfter(finished) ? group.due() : finished;
                finished = start.plusNanos((long) (group.reminders() / rate * 1e9));
                sofar.lastSent = finished;
                sofar.late += lateOf(start, finished, group.reminders(), deadlines.get(group.changeId()));
            }
        }
        Map<String, Projection> projections = new HashMap<>();
        queued.forEach((change, q) -> projections.put(change, q.projection(deadlines.get(change), rate)));
        return projections;
    }

    /** Of {@code reminders} sent evenly from {@code start} to {@code end}, those at or after {@code deadline}. */
    private static long lateOf(Instant start, Instant end, long reminders, Instant deadline) {
        if (deadline == null || end.isBefore(deadline)) {
            return 0;
        }
        if (!start.isBefore(deadline)) {
            return reminders;
        }
        double lateShare = (double) Duration.between(deadline, end).toNanos() / Duration.between(start, end).toNanos();
        return Math.round(reminders * lateShare);
    }

    /**
     * Mails per second the deployment sends: the quota, or what the replicas sent in the last minute if that is less
     * and reminders have been waiting all that minute (before, the count says how much was due, not how fast it
     * goes); without a quota, the measured rate once there is one. 0 when none is known.
     */
    double rate(Instant now) {
        double quota = budget.quota();
        Instant from = now.minus(MEASURED);
        boolean busyAllMinute = em.createQuery("select count(r) from Reminder r where r.status = ?1"
                + " and r.nextAttemptAt <= ?2", Long.class).setParameter(1, ReminderStatus.PENDING)
                .setParameter(2, from).getSingleResult() > 0;
        if (!busyAllMinute) {
            return Math.max(quota, 0);
        }
        double measured = em.createQuery("select count(r) from Reminder r where r.status = ?1 and r.sentAt > ?2",
                Long.class).setParameter(1, ReminderStatus.SENT).setParameter(2, from).getSingleResult()
                / (double) MEASURED.toSeconds();
        return quota > 0 && measured > 0 ? Math.min(quota, measured) : Math.max(quota, measured);
    }

    private List<Waiting> waitingInDueOrder() {
        return em.createQuery("select r.changeId, r.nextAttemptAt, count(r) from Reminder r where r.status = ?1"
                + " group by r.changeId, r.nextAttemptAt order by r.nextAttemptAt", Object[].class)
                .setParameter(1, ReminderStatus.PENDING).getResultStream()
                .map(row -> new Waiting((String) row[0], (Instant) row[1], (Long) row[2])).toList();
    }

    /** The earliest local deadline among the subscribers still waiting for each change's reminders. */
    private Map<String, Instant> earliestDeadlines() {
        List<Object[]> zones = em.createQuery("select distinct r.changeId, s.timeZone from Reminder r, Subscription s"
                + " where s.id = r.subscriptionId and r.status = ?1", Object[].class)
                .setParameter(1, ReminderStatus.PENDING).getResultList();
        Map<String, PolicyChange> changes = new HashMap<>();
        Map<String, Instant> deadlines = new HashMap<>();
        for (Object[] row : zones) {
            String changeId = (String) row[0];
            PolicyChange change = changes.computeIfAbsent(changeId, id -> PolicyChange.findByChangeId(id).orElse(null));
            if (change != null) {
                Instant deadline = ReminderSchedule.deadline(change.effectiveDate, change.effectiveAt,
                        ZoneId.of((String) row[1]));
                deadlines.merge(changeId, deadline, (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        return deadlines;
    }

    /** A change's reminders in the projected queue so far. */
    private static final class Queued {
        long waiting;
        long late;
        Instant lastSent;

        Projection projection(Instant deadline, double rate) {
            if (lastSent == null) {
                return new Projection(waiting, deadline, null, null, null, rate);
            }
            Long margin = deadline == null ? null : Duration.between(lastSent, deadline).toSeconds();
            return new Projection(waiting, deadline, lastSent, margin, late, rate);
        }
    }
}
