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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.optout.notifier.config.TestClock;

/** Hits are counted in the transaction of the work they allow: both or neither. */
@QuarkusTest
@Tag("persistence")
class RateLimiterTest {

    private static final Duration WINDOW = Duration.ofMinutes(10);

    @Inject
    RateLimiter limiter;

    @Inject
    EntityManager em;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void firstHitsOfAWindowAtOnceAreAllCountedAndAllAllowed() throws Exception {
        String bucket = newBucket();
        int clients = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Admission>> hits = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            hits.add(CompletableFuture.supplyAsync(() -> {
                await(start);
                return limiter.counting(() -> limiter.hit(List.of(bucket), 100, WINDOW));
            }));
        }
        start.countDown();

        for (CompletableFuture<Admission> hit : hits) {
            assertThat(hit.get().allows(0)).isTrue();
        }
        assertThat(hits(bucket)).isEqualTo(clients);
    }

    @Test
    void hitsCountedTogetherAreAllowedInOrderUntilTheirBucketReachesItsLimit() {
        // Just after a window boundary, so that all hits fall in one fixed window.
        clock.advance(Duration.ofMillis(WINDOW.toMillis() - clock.instant().toEpochMilli() % WINDOW.toMillis() + 1000));
        String busy = newBucket();
        String quiet = newBucket();
        limiter.counting(() -> limiter.hit(List.of(busy), 3, WINDOW));

        Admission together = limiter.counting(() -> limiter.hit(List.of(busy, quiet, busy, busy), 3, WINDOW));

        assertThat(together.allowed()).containsExactly(true, true, true, false);
        assertThat(together.retryAfter()).isPositive().isLessThanOrEqualTo(WINDOW.plusSeconds(1));
        assertThat(limiter.counting(() -> limiter.hit(List.of(quiet), 3, WINDOW)).allows(0)).isTrue();
        assertThat(limiter.counting(() -> limiter.hit(List.of(busy), 3, WINDOW)).allows(0)).isFalse();
        assertThat(hits(busy)).as("refused hits count too").isEqualTo(5);
        assertThat(hits(quiet)).isEqualTo(2);
    }

    @Test
    void workThatFailsCountsNoHit() {
        String bucket = newBucket();
        limiter.counting(() -> limiter.hit(List.of(bucket), 2, WINDOW));

        assertThatThrownBy(() -> limiter.counting(() -> {
            limiter.hit(List.of(bucket, bucket), 2, WINDOW);
            throw new IllegalStateException("the work failed");
        })).hasMessage("the work failed");

        assertThat(hits(bucket)).isEqualTo(1);
    }

    private static String newBucket() {
        return "test:" + UUID.randomUUID();
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
