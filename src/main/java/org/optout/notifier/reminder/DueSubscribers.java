package org.optout.notifier.reminder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.optout.notifier.subscription.Subscription;

/**
 * Claims subscribers with something due, in batches, for the caller's transaction: their subscription rows first
 * ({@code FOR UPDATE SKIP LOCKED}, so another instance takes other subscribers and all of one subscriber's due rows
 * go to one instance: a digest stays one mail), then their due reminders and follow-ups (skipping rows a planner is
 * rewriting right now: they are due again next round). The dispatcher never waits for a lock, so it cannot deadlock
 * with a stop or a revision; they wait for its batch instead. Due-ness is judged by the injected clock.
 */
@ApplicationScoped
class DueSubscribers {

    /** Hibernate's lock timeout meaning SKIP LOCKED. */
    private static final int SKIP_LOCKED = -2;
    /** Candidates read per claimed subscriber: some may be locked by another instance. */
    private static final int CANDIDATES_PER_CLAIM = 4;

    /** Nothing about a change held for approval goes out, not even what an earlier revision planned. */
    private static final String NOT_HELD = """
            not exists (select 1 from PolicyChange pc where pc.changeId = d.changeId and pc.awaitingApproval)""";

    /** A subscriber claimed with what is due for them, and the changes they said they had opted out of. */
    record Claimed(Subscription subscription, List<Reminder> reminders, List<FollowUp> followUps,
            Set<String> optedOut) {
    }

    private final EntityManager em;

    DueSubscribers(EntityManager em) {
        this.em = em;
    }

    /**
     * At most {@code max} subscribers, with their due rows locked until the caller's transaction ends. The candidates
     * are read before they are locked, so a lane that committed in between has sent some of them: they are locked with
     * nothing due, and the batch is filled from the candidates left (otherwise such a batch came back empty and ended
     * its lane while thousands were due).
     */
    List<Claimed> claim(Instant now, int max) {
        Set<Long> candidates = new LinkedHashSet<>(candidates(Reminder.class, now, max * CANDIDATES_PER_CLAIM));
        candidates.addAll(candidates(FollowUp.class, now, max * CANDIDATES_PER_CLAIM));
        List<Claimed> claimed = new ArrayList<>();
        while (claimed.size() < max && !candidates.isEmpty()) {
            List<Subscription> locked = lock(candidates, max - claimed.size());
            if (locked.isEmpty()) {
                break;
            }
            locked.forEach(subscription -> candidates.remove(subscription.id));
            claimed.addAll(withDueRows(locked, now));
        }
        return claimed;
    }

    /** Candidates another instance holds are skipped. */
    private List<Subscription> lock(Set<Long> candidates, int max) {
        return em.createQuery("from Subscription s where s.id in :ids order by s.id", Subscription.class)
                .setParameter("ids", candidates)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).setHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .setMaxResults(max).getResultList();
    }

    private List<Claimed> withDueRows(List<Subscription> subscriptions, Instant now) {
        List<Long> ids = subscriptions.stream().map(s -> s.id).toList();
        Map<Long, List<Reminder>> reminders = bySubscriber(rows(Reminder.class, ids, now, "dueAt"));
        Map<Long, List<FollowUp>> followUps = bySubscriber(rows(FollowUp.class, ids, now, "id"));
        Map<Long, Set<String>> optedOut = optedOut(ids);
        List<Claimed> claimed = new ArrayList<>();
        for (Subscription subscription : subscriptions) {
            List<Reminder> due = reminders.getOrDefault(subscription.id, List.of());
            List<FollowUp> followUpsDue = followUps.getOrDefault(subscription.id, List.of());
            if (!due.isEmpty() || !followUpsDue.isEmpty()) {
                claimed.add(new Claimed(subscription, due, followUpsDue,
                        optedOut.getOrDefault(subscription.id, Set.of())));
            }
        }
        return claimed;
    }

    /** The earliest due rows' subscribers, by the due index. */
    private List<Long> candidates(Class<? extends Delivery> type, Instant now, int limit) {
        return em.createQuery("select d.subscriptionId from " + type.getSimpleName() + " d where d.status = ?1 "
                + "and d.nextAttemptAt <= ?2 and " + NOT_HELD + " order by d.nextAttemptAt", Long.class)
                .setParameter(1, ReminderStatus.PENDING).setParameter(2, now).setMaxResults(limit).getResultList();
    }

    /**
     * The claimed subscribers' pending rows, of which those due now. Only the subscriber index can serve the query: the
     * status is compared as an expression no index serves, and the due time is checked here (pending rows not yet due
     * are few per subscriber, and locked only until the batch commits). Statistics taken before a large audience was
     * planned count few pending rows, and the plans they chose (the due index, then a filter on the subscribers) read
     * the whole backlog for every batch: 36 ms at 16,000 due, 288 ms at 100,000.
     */
    private <T extends Delivery> List<T> rows(Class<T> type, List<Long> subscribers, Instant now, String order) {
        return em.createQuery("from " + type.getSimpleName() + " d where d.subscriptionId in ?1 "
                + "and concat(cast(d.status as String), '') = ?2 and " + NOT_HELD
                + " order by d.subscriptionId, d." + order, type)
                .setParameter(1, subscribers).setParameter(2, ReminderStatus.PENDING.name())
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).setHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .getResultStream().filter(row -> !row.nextAttemptAt.isAfter(now)).toList();
    }

    private Map<Long, Set<String>> optedOut(List<Long> subscribers) {
        Map<Long, Set<String>> changes = new HashMap<>();
        List<Object[]> rows = em.createNativeQuery("select o.subscription_id, o.change_id from opted_out o "
                + "where o.subscription_id in (?1)", Object[].class).setParameter(1, subscribers).getResultList();
        for (Object[] row : rows) {
            changes.computeIfAbsent(((Number) row[0]).longValue(), id -> new java.util.HashSet<>()).add((String) row[1]);
        }
        return changes;
    }

    private static <T extends Delivery> Map<Long, List<T>> bySubscriber(List<T> rows) {
        Map<Long, List<T>> grouped = new HashMap<>();
        rows.forEach(row -> grouped.computeIfAbsent(row.subscriptionId, id -> new ArrayList<>()).add(row));
        return grouped;
    }
}
