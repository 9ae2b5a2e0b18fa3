package org.optout.notifier.reminder;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.optout.notifier.outcome.NotificationOutcomes;
import org.optout.notifier.policy.IntakePressure;
import org.optout.notifier.policy.PlanningNeeded;
import org.optout.notifier.policy.PlanningTask;
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.policy.PolicyChangeStatus;
import org.optout.notifier.statistics.TableStatistics;
import org.optout.notifier.subscription.SubscriptionChanged;
import org.optout.notifier.subscription.SubscriptionStopped;

/**
 * Turns policy changes and subscriptions into reminder rows. A change is planned from its planning task in batches of
 * subscribers, each batch its own transaction that moves the task's cursor, so a change matching a million subscribers
 * is never loaded at once and planning resumes after a crash. Each batch is one statement ({@link WindowPlanning}):
 * the database matches and inserts, the JVM works out the local times once per distinct schedule.
 */
@ApplicationScoped
public class ReminderPlanner {

    /**
     * Subscriber ids per batch. A batch is a window of ids rather than "the next N matches" so that each batch reads
     * only its own slice of the primary key: asking for the next N matches in id order makes the database match the
     * whole remaining audience before it can sort, and planning grows with the square of the audience. Ten thousand
     * rather than a thousand: a window's own statements and commit made a million subscribers take a quarter longer.
     */
    static final int WINDOW = 10_000;

    /**
     * Tasks whose next window is planned in one transaction: a burst of changes that each match a few subscribers
     * cost a commit (a disk flush) and a transaction's setup per change, as much of the planner's time as the
     * planning itself.
     */
    static final int TASKS_TOGETHER = 50;

    /** How long a change stored waits for others to be planned with. */
    static final Duration GATHERING = Duration.ofMillis(200);

    /** The longest a group of tasks waits for the intake to catch up. */
    static final Duration GIVING_WAY = Duration.ofSeconds(1);

    private static final String CHANGES_FOR_SUBSCRIBER = """
            select pc.id from policy_change pc, subscription s
            where s.id = ?1 and s.status = 'ACTIVE' and pc.status = 'ACTIVE' and pc.awaiting_approval = false
              and exists (select 1 from policy_change_country c where c.policy_change_id = pc.id and c.country = s.country)
              and exists (select 1 from policy_change_platform cp, subscription_platform p
                          where cp.policy_change_id = pc.id and p.subscription_id = s.id
                            and p.platform = cp.platform)
              and not exists (select 1 from opted_out o where o.subscription_id = s.id and o.change_id = pc.change_id)""";

    /**
     * What re-planning a subscriber replaces: what is pending, and what their unsubscribing cancelled of a change still
     * active (a re-subscription brings those lead days back); never what was sent, failed, or belongs to a change
     * they opted out of or that was cancelled.
     */
    private static final String REPLACEABLE = """
            delete from reminder where subscription_id = ?1 and (status = 'PENDING' or status = 'CANCELLED'
              and exists (select 1 from policy_change pc where pc.change_id = reminder.change_id and pc.status = 'ACTIVE')
              and not exists (select 1 from opted_out o where o.subscription_id = ?1
                              and o.change_id = reminder.change_id))""";

    private final EntityManager em;
    private final Clock clock;
    private final NotificationOutcomes outcomes;
    private final FollowUps followUps;
    private final WindowPlanning windows;
    private final ReminderMetrics metrics;
    private final TableStatistics statistics;
    private final IntakePressure intakePressure;
    private final ReentrantLock planning = new ReentrantLock();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            runnable -> new Thread(runnable, "reminder-planner"));

    ReminderPlanner(EntityManager em, Clock clock, NotificationOutcomes outcomes, FollowUps followUps,
            ReminderMetrics metrics, TableStatistics statistics, WindowPlanning windows,
            IntakePressure intakePressure) {
        this.em = em;
        this.intakePressure = intakePressure;
        this.metrics = metrics;
        this.statistics = statistics;
        this.clock = clock;
        this.outcomes = outcomes;
        this.followUps = followUps;
        this.windows = windows;
    }

    /**
     * Plans after a moment, so that changes arriving one at a time (a steady stream polls a record at a time) are
     * planned as a group: at 100 changes a second each was planned on its own, eight statements and a commit each.
     */
    void onPlanningNeeded(@Observes(during = TransactionPhase.AFTER_SUCCESS) PlanningNeeded event) {
        inBackground("Planning", GATHERING, this::planTasks);
    }

    /** Picks up tasks left by a crash, a failure or another instance that stopped. */
    @Scheduled(every = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        inBackground("Planning", Duration.ZERO, this::planTasks);
        inBackground("Planning subscribers", Duration.ZERO, this::planSubscribers);
    }

    /** In the changing transaction: the planning is recorded with the change, so that a crash right after loses none. */
    void recordSubscriberPlanning(@Observes SubscriptionChanged event) {
        em.createNativeQuery("insert into subscriber_planning (subscription_id, created_at) "
                + "values (?1, cast(?2 as timestamp with time zone))").setParameter(1, event.subscriptionId())
                .setParameter(2, clock.instant().atOffset(ZoneOffset.UTC)).executeUpdate();
    }

    void onSubscriptionChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) SubscriptionChanged event) {
        inBackground("Planning subscribers", Duration.ZERO, this::planSubscribers);
    }

    /**
     * Runs the work on the planner's thread after {@code gathering}, once for however many asked before it started: a
     * batch of a hundred stored changes asks a hundred times, and one run plans them all. Asking while it runs queues
     * one more run; asking while it gathers does not, as the run reads what is stored after the gathering.
     */
    private void inBackground(String what, Duration gathering, Runnable work) {
        if (!queued.add(what)) {
            return;
        }
        worker.execute(() -> {
            LockSupport.parkNanos(gathering.toNanos());
            queued.remove(what);
            try {
                work.run();
            } catch (RuntimeException e) {
                Log.errorf("%s failed: %s", what, e.getClass().getName());
            }
        });
    }

    /** In the unsubscribing transaction: nothing pending goes out after it, reminder or follow-up. */
    void onSubscriptionStopped(@Observes SubscriptionStopped event) {
        for (String table : List.of("reminder", "follow_up")) {
            em.createNativeQuery("update " + table + " set status = 'CANCELLED' where subscription_id = ?1 "
                    + "and status = 'PENDING'").setParameter(1, event.subscriptionId()).executeUpdate();
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdown();
    }

    /** Works off every planning task; callers take turns, so that a caller returns with its tasks done. */
    public void planTasks() {
        planning.lock();
        try {
            List<Long> tasks = QuarkusTransaction.requiringNew().call(() -> em
                    .createQuery("select t.id from PlanningTask t order by t.id", Long.class).getResultList());
            for (int from = 0; from < tasks.size(); from += TASKS_TOGETHER) {
                // Planning trails a burst of changes rather than halving the intake's rate, and still moves on
                // under one that never ends.
                intakePressure.giveWay(GIVING_WAY);
                planTogether(tasks.subList(from, Math.min(tasks.size(), from + TASKS_TOGETHER)));
            }
            if (!tasks.isEmpty()) {
                statistics.refreshIfGrown("reminder");
                statistics.refreshIfGrown("follow_up");
                outcomes.relay();
            }
        } finally {
            planning.unlock();
        }
    }

    /**
     * Plans the next window of each task in one transaction, then each task that has more windows on its own. If the
     * transaction fails (two instances planning one subscriber, a bug), each task is tried on its own, so that one
     * that cannot be planned holds up no other.
     */
    private void planTogether(List<Long> tasks) {
        List<Long> unfinished;
        try {
            unfinished = QuarkusTransaction.requiringNew().call(() -> planBatches(tasks));
        } catch (RuntimeException e) {
            Log.warnf("Planning %d tasks together failed (%s): planning them one by one", tasks.size(),
                    e.getClass().getName());
            unfinished = tasks;
        }
        for (Long task : unfinished) {
            while (!QuarkusTransaction.requiringNew().call(() -> planBatches(List.of(task)).isEmpty())) {
                Log.debugf("Planning task %d: next batch", task);
            }
        }
    }

    /**
     * Plans the next batch of each task, with what they need read once for all of them (the tasks, locked; their
     * changes; which of those ever had reminders; the last subscriber id) and the changes of one window inserted by one
     * statement: a burst of small changes costs a few statements, not ten per change.
     *
     * @return the tasks that have more batches to plan; a task finished (and deleted) or held for approval is not
     */
    private List<Long> planBatches(List<Long> taskIds) {
        List<PlanningTask> tasks = em.createQuery("from PlanningTask t where t.id in :ids order by t.id",
                PlanningTask.class).setParameter("ids", taskIds).setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
        if (tasks.isEmpty()) {
            return List.of();
        }
        Map<String, PolicyChange> changes = PolicyChange.byChangeId(tasks.stream().map(task -> task.changeId)
                .distinct().toList());
        Set<String> reminded = everReminded(tasks.stream().filter(task -> task.plannedUpTo == 0)
                .map(task -> task.changeId).distinct().toList());
        Map<Long, List<PlanningTask>> byWindow = new TreeMap<>();
        for (PlanningTask task : tasks) {
            PolicyChange change = changes.get(task.changeId);
            if (change == null || change.revision != task.revision) {
                task.delete();
            } else if (change.awaitingApproval) {
                continue; // its task waits for the approval
            } else if (task.plannedUpTo == 0 && (reminded.contains(change.changeId)
                    || change.status == PolicyChangeStatus.CANCELLED) && !startPlanning(change)) {
                // A change never reminded has no pending reminder or follow-up to clear, nor anyone to follow up.
                task.delete();
            } else {
                byWindow.computeIfAbsent(task.plannedUpTo, from -> new ArrayList<>()).add(task);
            }
        }
        long lastSubscriberId = lastSubscriberId();
        List<Long> more = new ArrayList<>();
        byWindow.forEach((from, planned) -> {
            // Distinct: a change twice in one statement would be inserted twice, each copy blind to the other.
            int added = windows.window(from, from + WINDOW).plan(planned.stream()
                    .map(task -> changes.get(task.changeId)).distinct().toList(), clock.instant());
            metrics.planned(added);
            statistics.wrote("reminder", added);
            for (PlanningTask task : planned) {
                if (!moveOn(task, changes.get(task.changeId), lastSubscriberId)) {
                    more.add(task.id);
                }
            }
        });
        return more;
    }

    /** After a window: true when the task is finished (and deleted), else its cursor moves to the next window. */
    private boolean moveOn(PlanningTask task, PolicyChange change, long lastSubscriberId) {
        long windowEnd = task.plannedUpTo + WINDOW;
        // Subscribers stored after this point are planned by their own confirmation (planSubscriber).
        if (windowEnd >= lastSubscriberId) {
            Log.infof("Policy change %s revision %d planned", change.changeId, change.revision);
            task.delete();
            return true;
        }
        task.plannedUpTo = windowEnd;
        return false;
    }

    /**
     * Which of these changes have reminder rows, of any status: one probe of the index per change, never a read of
     * the million rows a change may have.
     */
    @SuppressWarnings("unchecked")
    private Set<String> everReminded(List<String> changeIds) {
        if (changeIds.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(em.createNativeQuery("select c.change_id from unnest(cast(?1 as varchar array)) "
                + "as c(change_id) where exists (select 1 from reminder r where r.change_id = c.change_id)")
                .setParameter(1, changeIds.toArray(String[]::new)).getResultList());
    }

    private long lastSubscriberId() {
        Number last = (Number) em.createNativeQuery("select max(id) from subscription").getSingleResult();
        return last == null ? 0 : last.longValue();
    }

    /**
     * Clears what a previous revision left pending and plans the follow-ups for those already reminded; a
     * cancellation stops there.
     *
     * @return whether subscribers are to be planned
     */
    private boolean startPlanning(PolicyChange change) {
        String pending = change.status == PolicyChangeStatus.CANCELLED
                ? "update reminder set status = 'CANCELLED' where change_id = ?1 and status = 'PENDING'"
                : "delete from reminder where change_id = ?1 and status = 'PENDING'";
        int cleared = em.createNativeQuery(pending).setParameter(1, change.changeId).executeUpdate();
        statistics.wrote("follow_up", followUps.plan(change));
        if (change.status == PolicyChangeStatus.CANCELLED) {
            outcomes.record(change.changeId, NotificationOutcomes.CANCELLED_TYPE,
                    new NotificationOutcomes.ChangeCancelled(change.changeId, change.revision, cleared));
            Log.infof("Policy change %s cancelled: %d pending reminders cancelled", change.changeId, cleared);
            return false;
        }
        return true;
    }

    /**
     * Works off every recorded subscriber planning. One that fails (two instances planning the same subscriber, the
     * database gone) keeps its rows for the next poll.
     */
    public void planSubscribers() {
        List<Long> subscribers = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select distinct subscription_id from subscriber_planning", Long.class).getResultList());
        for (Long subscriber : subscribers) {
            try {
                planSubscriber(subscriber);
            } catch (RuntimeException e) {
                Log.warnf("Planning subscription %d failed, tried again at the next poll: %s", subscriber,
                        e.getClass().getName());
            }
        }
    }

    /**
     * Works out again everything pending for one subscriber, against every active change that concerns them, and
     * deletes the planning recorded for them so far, in one transaction. It takes turns with the planning of tasks:
     * both insert this subscriber's reminders of a change, and the second insert of a row would fail.
     */
    public void planSubscriber(long subscriptionId) {
        planning.lock();
        try {
            planSubscriberNow(subscriptionId);
        } finally {
            planning.unlock();
        }
    }

    private void planSubscriberNow(long subscriptionId) {
        int added = QuarkusTransaction.requiringNew().call(() -> {
            // The subscription first, as an erasure locks it before its planning rows go with it (on delete
            // cascade): locking the planning rows first deadlocked with an erasure on PostgreSQL.
            em.createNativeQuery("select id from subscription where id = ?1 for update", Long.class)
                    .setParameter(1, subscriptionId).getResultList();
            em.createNativeQuery("delete from subscriber_planning where subscription_id = ?1")
                    .setParameter(1, subscriptionId).executeUpdate();
            int cleared = em.createNativeQuery(REPLACEABLE).setParameter(1, subscriptionId).executeUpdate();
            List<Long> ids = em.createNativeQuery(CHANGES_FOR_SUBSCRIBER, Long.class).setParameter(1, subscriptionId)
                    .getResultList();
            List<PolicyChange> changes = ids.isEmpty() ? List.of() : PolicyChange.list("id in ?1", ids);
            int inserted = windows.window(subscriptionId - 1, subscriptionId).plan(changes, clock.instant());
            return inserted - cleared;
        });
        // Re-planning what was already planned is no new reminder.
        metrics.planned(Math.max(0, added));
    }
}
