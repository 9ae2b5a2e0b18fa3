package org.optout.notifier.ratelimit;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Fixed-window request counters kept in the database, so that a limit holds across all replicas. A hit is counted in
 * the transaction of the work it allows, so that both cost one commit: a burst of sign-ups waits on the disk once per
 * request, not three times.
 */
@ApplicationScoped
public class RateLimiter {

    /** SQLSTATE of a unique constraint violated, on PostgreSQL and H2 alike. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final EntityManager em;
    private final Clock clock;

    RateLimiter(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /**
     * Counts one hit in the current window of {@code bucket} and runs {@code work}, in one transaction of their own.
     *
     * @throws RateLimitedException when the bucket already had {@code limit} hits in this window; nothing is done
     */
    public void acquire(String bucket, int limit, Duration window, Runnable work) {
        Instant now = clock.instant();
        long windowMillis = window.toMillis();
        Instant windowStart = Instant.ofEpochMilli(now.toEpochMilli() / windowMillis * windowMillis);
        for (int attempt = 1; ; attempt++) {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    if (hit(bucket, windowStart) > limit) {
                        throw new RateLimitedException(Duration.between(now, windowStart.plus(window)).plusSeconds(1));
                    }
                    work.run();
                });
                return;
            } catch (RuntimeException e) {
                // Two first hits of a window at once: one inserted its row, the other's transaction failed on it.
                if (attempt > 1 || !duplicateKey(e)) {
                    throw e;
                }
            }
        }
    }

    /** Forgets windows that ended before {@code before}. */
    public int purge(Instant before) {
        return QuarkusTransaction.requiringNew().call(() -> em
                .createNativeQuery("delete from rate_limit_window where window_start < ?1")
                .setParameter(1, before)
                .executeUpdate());
    }

    private int hit(String bucket, Instant windowStart) {
        Integer hits = incrementAndRead(bucket, windowStart);
        if (hits != null) {
            return hits;
        }
        em.createNativeQuery("insert into rate_limit_window (bucket, window_start, hits) values (?1, ?2, 1)")
                .setParameter(1, bucket).setParameter(2, windowStart)
                .executeUpdate();
        return 1;
    }

    private static boolean duplicateKey(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** @return the hits after this one, or null when the window has no row yet */
    private Integer incrementAndRead(String bucket, Instant windowStart) {
        int updated = em
                .createNativeQuery("update rate_limit_window set hits = hits + 1 where bucket = ?1 and window_start = ?2")
                .setParameter(1, bucket).setParameter(2, windowStart)
                .executeUpdate();
        if (updated == 0) {
            return null;
        }
        return ((Number) em
                .createNativeQuery("select hits from rate_limit_window where bucket = ?1 and window_start = ?2")
                .setParameter(1, bucket).setParameter(2, windowStart)
                .getSingleResult()).intValue();
    }
}
