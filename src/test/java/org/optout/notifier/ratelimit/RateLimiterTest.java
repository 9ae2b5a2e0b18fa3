package org.optout.notifier.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A hit is counted in the transaction of the work it allows: both or neither. */
@QuarkusTest
@Tag("persistence")
class RateLimiterTest {

    private static final Duration WINDOW = Duration.ofMinutes(10);

    @Inject
    RateLimiter limiter;

    @Inject
    EntityManager em;

    @Test
    void firstHitsOfAWindowAtOnceAreAllCountedAndAllAllowed() throws Exception {
        String bucket = "test:" + UUID.randomUUID();
        int clients = 8;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger done = new AtomicInteger();
        List<CompletableFuture<Void>> hits = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            hits.add(CompletableFuture.runAsync(() -> {
                await(start);
                limiter.acquire(bucket, 100, WINDOW, done::incrementAndGet);
            }));
        }
        start.countDown();
        CompletableFuture.allOf(hits.toArray(CompletableFuture[]::new)).get();

        assertThat(done).hasValue(clients);
        assertThat(hits(bucket)).isEqualTo(clients);
    }

    @Test
    void aHitOverTheLimitDoesNoWorkAndWorkThatFailsCountsNoHit() {
        String bucket = "test:" + UUID.randomUUID();
        AtomicInteger done = new AtomicInteger();
        limiter.acquire(bucket, 2, WINDOW, done::incrementAndGet);
        assertThatThrownBy(() -> limiter.acquire(bucket, 2, WINDOW, () -> {
            throw new IllegalStateException("the work failed");
        })).hasMessage("the work failed");
        limiter.acquire(bucket, 2, WINDOW, done::incrementAndGet);

        assertThatThrownBy(() -> limiter.acquire(bucket, 2, WINDOW, done::incrementAndGet))
                .isInstanceOf(RateLimitedException.class);
        assertThat(done).hasValue(2);
        assertThat(hits(bucket)).isEqualTo(2);
    }

    private int hits(String bucket) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("select sum(hits) from rate_limit_window where bucket = ?1")
                .setParameter(1, bucket).getSingleResult()).intValue());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
