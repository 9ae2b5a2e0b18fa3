package org.optout.notifier.reminder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.Query;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.query.NativeQuery;
import org.optout.notifier.subscription.Subscriber;
import org.optout.notifier.subscription.SubscriptionStatus;

/**
 * Claims subscribers with something due, in batches, for the caller's transaction: the earliest due rows first, then
 * their subscribers' rows, then every due reminder and follow-up of those subscribers, each step
 * {@code FOR UPDATE SKIP LOCKED} (so another lane or instance takes other subscribers and all of one subscriber's due
 * rows go to one instance: a digest stays one mail; rows a planner is rewriting right now are due again next round).
 * The dispatcher never waits for a lock, so it cannot deadlock with a stop or a revision; they wait for its batch
 * instead. Due-ness is judged by the injected clock.
 */
@ApplicationScoped
class DueSubscribers {

    /** Due rows locked per subscriber to claim: a subscriber with several (a digest) counts once. */
    private static final int CANDIDATES_PER_CLAIM = 2;

    /** Nothing about a change held for approval goes out, not even what an earlier revision planned. */
    private static final String NOT_HELD = """
            not exists (select 1 from policy_change pc where pc.change_id = d.change_id and pc.awaiting_approval)""";

    /**
     * A subscriber claimed with what is due for them, and the changes they said they had opted out of; their status
     * and bounce count as the claim locked them.
     */
    record Claimed(Subscriber subscriber, SubscriptionStatus status, int bounces, List<DueRow.ReminderRow> reminders,
            List<DueRow.FollowUpRow> followUps, Set<String> optedOut) {
    }

    /** A claimed subscriber's row, before their due rows are read. */
    private record Locked(Subscriber subscriber, SubscriptionStatus status, int bounces) {
    }

    private final EntityManager em;
    private final String skipLocked;

    /**
     * On PostgreSQL the rows are locked {@code for no key update}: a planner inserting reminders checks their
     * subscriber's key with a share lock that {@code for update} would hold up until the batch commits. The one clause
     * H2 does not know.
     */
    DueSubscribers(EntityManager em, @ConfigProperty(name = "quarkus.datasource.db-kind") String databaseKind) {
        this.em = em;
        this.skipLocked = "postgresql".equals(databaseKind) ? "for no key update skip locked"
                : "for update skip locked";
    }

    /**
     * At most {@code max} subscribers, with their due rows locked until the caller's transaction ends. A candidate
     * whose subscriber is held elsewhere (a stop under way) is skipped, and the batch is filled from the candidates
     * left.
     * <p>
     * The statements are SQL that H2 and PostgreSQL both run ({@code = any(array)}, {@code skip locked}):
     * as HQL, the two with a subquery were parsed again for every batch (Hibernate caches no such interpretation) and
     * every list of ids was translated again for its length, a fifth of the dispatcher's time at a thousand mails a
     * second. They read columns, not entities: loading a subscription loads its platforms, which no mail needs.
     */
    List<Claimed> claim(Instant now, int max) {
        Set<Long> candidates = new LinkedHashSet<>(candidates("reminder", now, max * CANDIDATES_PER_CLAIM));
        candidates.addAll(candidates("follow_up", now, max * CANDIDATES_PER_CLAIM));
        List<Claimed> claimed = new ArrayList<>();
        while (claimed.size() < max && !candidates.isEmpty()) {
            List<Locked> locked = lock(candidates, max - claimed.size());
            if (locked.isEmpty()) {
                break;
            }
            locked.forEach(subscriber -> candidates.remove(subscriber.subscriber().id()));
            claimed.addAll(withDueRows(locked, now));
        }
        return claimed;
    }

    /** Candidates another instance holds are skipped. */
    private List<Locked> lock(Set<Long> candidates, int max) {
        List<Object[]> rows = typed(query("select s.id, s.email, s.language, s.time_zone, s.token_salt, s.status, "
                + "s.bounces from subscription s where s.id = any(?1) order by s.id fetch first " + max
                + " rows only " + skipLocked), "id", Long.class, "email", String.class, "language",
                String.class, "time_zone", String.class, "token_salt", String.class, "status", String.class,
                "bounces", Integer.class).setParameter(1, candidates.toArray(Long[]::new)).getResultList();
        return rows.stream().map(row -> new Locked(new Subscriber((Long) row[0], (String) row[1], (String) row[2],
                (String) row[3], (String) row[4]), SubscriptionStatus.valueOf((String) row[5]), (Integer) row[6]))
                .toList();
    }

    private List<Claimed> withDueRows(List<Locked> subscribers, Instant now) {
        Long[] ids = subscribers.stream().map(locked -> locked.subscriber().id()).toArray(Long[]::new);
        Map<Long, List<DueRow.ReminderRow>> reminders = bySubscriber(dueReminders(ids, now));
        Map<Long, List<DueRow.FollowUpRow>> followUps = bySubscriber(dueFollowUps(ids, now));
        Map<Long, Set<String>> optedOut = optedOut(ids);
        List<Claimed> claimed = new ArrayList<>();
        for (Locked locked : subscribers) {
            long id = locked.subscriber().id();
            List<DueRow.ReminderRow> due = reminders.getOrDefault(id, List.of());
            List<DueRow.FollowUpRow> followUpsDue = followUps.getOrDefault(id, List.of());
            if (!due.isEmpty() || !followUpsDue.isEmpty()) {
                claimed.add(new Claimed(locked.subscriber(), locked.status(), locked.bounces(), due, followUpsDue,
                        optedOut.getOrDefault(id, Set.of())));
            }
        }
        return claimed;
    }

    /**
     * The earliest due rows' subscribers, by the due index, locked and skipping rows another lane or instance holds.
     * Read without locks, two lanes found the same candidates: one locked them between the other's reading and locking,
     * the other came back empty and ended its lane, and one lane sent alone for most of a round (half the throughput).
     */
    @SuppressWarnings("unchecked")
    private List<Long> candidates(String table, Instant now, int limit) {
        List<Number> ids = query("select d.subscription_id from " + table + " d where d.status = 'PENDING' "
                + "and d.next_attempt_at <= ?1 and " + NOT_HELD + " order by d.next_attempt_at fetch first " + limit
                + " rows only " + skipLocked).setParameter(1, now).getResultList();
        return ids.stream().map(Number::longValue).toList();
    }

    private List<DueRow.ReminderRow> dueReminders(Long[] subscribers, Instant now) {
        return pending("reminder", "due_at", subscribers, now, "revision", Integer.class, "lead_day", Integer.class,
                "catch_up", Boolean.class).stream().map(row -> new DueRow.ReminderRow((Long) row[0], (Long) row[1],
                        (String) row[2], (Integer) row[5], (Integer) row[6], (Boolean) row[7], (Integer) row[3],
                        (Instant) row[4])).toList();
    }

    private List<DueRow.FollowUpRow> dueFollowUps(Long[] subscribers, Instant now) {
        return pending("follow_up", "id", subscribers, now, "kind", String.class, "created_at", Instant.class)
                .stream().map(row -> new DueRow.FollowUpRow((Long) row[0], (Long) row[1], (String) row[2],
                        FollowUp.Kind.valueOf((String) row[5]) == FollowUp.Kind.NO_LONGER_NEEDED, (Integer) row[3],
                        (Instant) row[4], (Instant) row[6])).toList();
    }

    /**
     * The claimed subscribers' pending rows, of which those due now: id, subscriber, change, attempts, next attempt,
     * then {@code columns} (pairs of name and type). Only the subscriber index can serve the query: the status is
     * compared as an expression no index serves, and the due time is checked here (pending rows not yet due are few per
     * subscriber, and locked only until the batch commits). Statistics taken before a large audience was planned count
     * few pending rows, and the plans they chose (the due index, then a filter on the subscribers) read the whole
     * backlog for every batch: 36 ms at 16,000 due, 288 ms at 100,000.
     */
    @SuppressWarnings("unchecked")
    private List<Object[]> pending(String table, String order, Long[] subscribers, Instant now, Object... columns) {
        List<Object> all = new ArrayList<>(List.of("id", Long.class, "subscription_id", Long.class, "change_id",
                String.class, "attempts", Integer.class, "next_attempt_at", Instant.class));
        all.addAll(List.of(columns));
        StringBuilder select = new StringBuilder();
        for (int i = 0; i < all.size(); i += 2) {
            select.append(i == 0 ? "d." : ", d.").append(all.get(i));
        }
        List<Object[]> rows = typed(query("select " + select + " from " + table + " d where d.subscription_id = "
                + "any(?1) and d.status || '' = 'PENDING' and " + NOT_HELD + " order by d.subscription_id, d." + order
                + " " + skipLocked), all.toArray()).setParameter(1, subscribers).getResultList();
        return rows.stream().filter(row -> !((Instant) row[4]).isAfter(now)).toList();
    }

    private Query query(String sql) {
        return em.createNativeQuery(sql).setFlushMode(FlushModeType.COMMIT);
    }

    /** The columns as these Java types, the same on both databases: pairs of column name and type. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Query typed(Query query, Object... columns) {
        NativeQuery<Object[]> typed = query.unwrap(NativeQuery.class);
        for (int i = 0; i < columns.length; i += 2) {
            typed.addScalar((String) columns[i], (Class) columns[i + 1]);
        }
        return typed;
    }

    @SuppressWarnings("unchecked")
    private Map<Long, Set<String>> optedOut(Long[] subscribers) {
        Map<Long, Set<String>> changes = new HashMap<>();
        List<Object[]> rows = query("select o.subscription_id, o.change_id from opted_out o "
                + "where o.subscription_id = any(?1)").setParameter(1, subscribers).getResultList();
        for (Object[] row : rows) {
            changes.computeIfAbsent(((Number) row[0]).longValue(), id -> new HashSet<>()).add((String) row[1]);
        }
        return changes;
    }

    private static <T extends DueRow> Map<Long, List<T>> bySubscriber(List<T> rows) {
        Map<Long, List<T>> grouped = new HashMap<>();
        rows.forEach(row -> grouped.computeIfAbsent(row.subscriptionId(), id -> new ArrayList<>()).add(row));
        return grouped;
    }
}
