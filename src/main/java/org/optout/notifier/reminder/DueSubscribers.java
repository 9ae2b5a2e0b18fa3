package org.optout.notifier.reminder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.Query;
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

    /** Candidates read per claimed subscriber: some may be locked by another instance. */
    private static final int CANDIDATES_PER_CLAIM = 4;

    /** Nothing about a change held for approval goes out, not even what an earlier revision planned. */
    private static final String NOT_HELD = """
            not exists (select 1 from policy_change pc where pc.change_id = d.change_id and pc.awaiting_approval)""";

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
     * <p>
     * The statements are SQL that H2 and PostgreSQL both run ({@code = any(array)}, {@code for update skip locked}):
     * as HQL, the two with a subquery were parsed again for every batch (Hibernate caches no such interpretation) and
     * every list of ids was translated again for its length, a fifth of the dispatcher's time at a thousand mails a
     * second. They run without flushing the batch's entities first (nothing claimed here depends on them).
     */
    List<Claimed> claim(Instant now, int max) {
        Set<Long> candidates = new LinkedHashSet<>(candidates("reminder", now, max * CANDIDATES_PER_CLAIM));
        candidates.addAll(candidates("follow_up", now, max * CANDIDATES_PER_CLAIM));
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
        return query("select s.* from subscription s where s.id = any(?1) order by s.id fetch first " + max
                + " rows only for update skip locked", Subscription.class)
                .setParameter(1, candidates.toArray(Long[]::new)).getResultList();
    }

    private List<Claimed> withDueRows(List<Subscription> subscriptions, Instant now) {
        Long[] ids = subscriptions.stream().map(s -> s.id).toArray(Long[]::new);
        Map<Long, List<Reminder>> reminders = bySubscriber(rows("reminder", Reminder.class, ids, now, "due_at"));
        Map<Long, List<FollowUp>> followUps = bySubscriber(rows("follow_up", FollowUp.class, ids, now, "id"));
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
    @SuppressWarnings("unchecked")
    private List<Long> candidates(String table, Instant now, int limit) {
        List<Number> ids = query("select d.subscription_id from " + table + " d where d.status = 'PENDING' "
                + "and d.next_attempt_at <= ?1 and " + NOT_HELD + " order by d.next_attempt_at fetch first " + limit
                + " rows only", null).setParameter(1, now).getResultList();
        return ids.stream().map(Number::longValue).toList();
    }

    /**
     * The claimed subscribers' pending rows, of which those due now. Only the subscriber index can serve the query: the
     * status is compared as an expression no index serves, and the due time is checked here (pending rows not yet due
     * are few per subscriber, and locked only until the batch commits). Statistics taken before a large audience was
     * planned count few pending rows, and the plans they chose (the due index, then a filter on the subscribers) read
     * the whole backlog for every batch: 36 ms at 16,000 due, 288 ms at 100,000.
     */
    private <T extends Delivery> List<T> rows(String table, Class<T> type, Long[] subscribers, Instant now,
            String order) {
        List<T> rows = query("select d.* from " + table + " d where d.subscription_id = any(?1) "
                + "and d.status || '' = 'PENDING' and " + NOT_HELD + " order by d.subscription_id, d." + order
                + " for update skip locked", type).setParameter(1, subscribers).getResultList();
        return rows.stream().filter(row -> !row.nextAttemptAt.isAfter(now)).toList();
    }

    private Query query(String sql, Class<?> type) {
        Query query = type == null ? em.createNativeQuery(sql) : em.createNativeQuery(sql, type);
        return query.setFlushMode(FlushModeType.COMMIT);
    }

    @SuppressWarnings("unchecked")
    private Map<Long, Set<String>> optedOut(Long[] subscribers) {
        Map<Long, Set<String>> changes = new HashMap<>();
        List<Object[]> rows = query("select o.subscription_id, o.change_id from opted_out o "
                + "where o.subscription_id = any(?1)", null).setParameter(1, subscribers).getResultList();
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
