package org.optout.notifier.ratelimit;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Fixed-window request counters kept in the database, so that a limit holds across all replicas. Each hit is its own
 * short transaction, independent of the caller's.
 */
@ApplicationScoped
public class RateLimiter {

    private final EntityManager em;
    private final Clock clock;

    RateLimiter(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /**
     * Counts one hit in the current window of {@code bucket}.
     *
     * @throws RateLimitedException when the bucket already had {@code limit} hits in this window
     */
    public void acquire(String bucket, int limit, Duration window) {
        Instant now = clock.instant();
        long windowMillis = window.toMillis();
        Instant windowStart = Instant.ofEpochMilli(now.toEpochMilli() / windowMillis * windowMillis);
        if (hit(bucket, windowStart) > limit) {
            throw new RateLimitedException(Duration.between(now, windowStart.plus(window)).plusSeconds(1));
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
        Integer hits = QuarkusTransaction.requiringNew().call(() -> incrementAndRead(bucket, windowStart));
        if (hits != null) {
            return hits;
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> em
                    .createNativeQuery("insert into rate_limit_window (bucket, window_start, hits) values (?1, ?2, 1)")
                    .setParameter(1, bucket).setParameter(2, windowStart)
                    .executeUpdate());
            return 1;
        } catch (RuntimeException anotherReplicaInsertedFirst) {
            return QuarkusTransaction.requiringNew().call(() -> incrementAndRead(bucket, windowStart));
        }
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
