package org.optout.notifier.ratelimit;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.hibernate.Session;

/**
 * Fixed-window request counters kept in the database, so that a limit holds across all replicas. Hits are counted in
 * the transaction of the work they allow, so that both cost one commit, and the hits of many requests are counted
 * together: a burst of sign-ups waits on the disk once per group of requests, not once per request.
 */
@ApplicationScoped
public class RateLimiter {

    /** SQLSTATE of a unique constraint violated, on PostgreSQL and H2 alike. */
    private static final String UNIQUE_VIOLATION = "23505";

    private static final int ATTEMPTS = 3;

    private final EntityManager em;
    private final Clock clock;

    RateLimiter(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /**
     * Runs {@code work}, which counts hits, in a transaction of its own; again (up to {@link #ATTEMPTS} in all) when
     * it failed because another transaction counted the first hit of a window in one of its buckets at the same time:
     * at a window's start, replicas counting groups of clients may meet on more than one bucket.
     */
    public <T> T counting(Callable<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return QuarkusTransaction.requiringNew().call(work);
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !duplicateKey(e)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Counts one hit per entry of {@code buckets} in the current window, in the caller's transaction (see
     * {@link #counting}). A bucket may come more than once: its hits are allowed in order until it reaches
     * {@code limit}. Refused hits count too, so a refused client stays refused until the window ends.
     */
    public Admission hit(List<String> buckets, int limit, Duration window) {
        Instant now = clock.instant();
        long windowMillis = window.toMillis();
        Instant windowStart = Instant.ofEpochMilli(now.toEpochMilli() / windowMillis * windowMillis);
        SortedMap<String, Integer> asked = new TreeMap<>();
        buckets.forEach(bucket -> asked.merge(bucket, 1, Integer::sum));
        Map<String, Integer> before = em.unwrap(Session.class).doReturningWork(
                connection -> count(connection, asked, OffsetDateTime.ofInstant(windowStart, ZoneOffset.UTC)));
        List<Boolean> allowed = new ArrayList<>(buckets.size());
        for (String bucket : buckets) {
            allowed.add(before.merge(bucket, 1, Integer::sum) <= limit);
        }
        return new Admission(allowed, Duration.between(now, windowStart.plus(window)).plusSeconds(1));
    }

    /** Forgets windows that ended before {@code before}. */
    public int purge(Instant before) {
        return QuarkusTransaction.requiringNew().call(() -> em
                .createNativeQuery("delete from rate_limit_window where window_start < ?1")
                .setParameter(1, before)
                .executeUpdate());
    }

    /**
     * Adds the hits asked to each bucket's window and returns the hits each had before. Rows are updated in the
     * buckets' order, so replicas counting overlapping buckets lock them in the same order and never deadlock.
     */
    private static Map<String, Integer> count(Connection connection, SortedMap<String, Integer> asked,
            OffsetDateTime windowStart) throws SQLException {
        List<String> existing = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        try (PreparedStatement update = connection.prepareStatement(
                "update rate_limit_window set hits = hits + ? where bucket = ? and window_start = ?")) {
            for (Map.Entry<String, Integer> bucket : asked.entrySet()) {
                update.setInt(1, bucket.getValue());
                update.setString(2, bucket.getKey());
                update.setObject(3, windowStart);
                update.addBatch();
            }
            int[] updated = update.executeBatch();
            int i = 0;
            for (String bucket : asked.keySet()) {
                (updated[i++] == 0 ? missing : existing).add(bucket);
            }
        }
        Map<String, Integer> before = new HashMap<>();
        missing.forEach(bucket -> before.put(bucket, 0));
        insert(connection, missing, asked, windowStart);
        if (!existing.isEmpty()) {
            try (PreparedStatement select = connection.prepareStatement(
                    "select bucket, hits from rate_limit_window where window_start = ? and bucket = any(?)")) {
                select.setObject(1, windowStart);
                select.setArray(2, connection.createArrayOf("varchar", existing.toArray()));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        String bucket = rows.getString(1);
                        before.put(bucket, rows.getInt(2) - asked.get(bucket));
                    }
                }
            }
        }
        return before;
    }

    private static void insert(Connection connection, List<String> buckets, Map<String, Integer> asked,
            OffsetDateTime windowStart) throws SQLException {
        if (buckets.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into rate_limit_window (bucket, window_start, hits) values (?, ?, ?)")) {
            for (String bucket : buckets) {
                insert.setString(1, bucket);
                insert.setObject(2, windowStart);
                insert.setInt(3, asked.get(bucket));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static boolean duplicateKey(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
