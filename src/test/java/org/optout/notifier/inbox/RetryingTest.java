package org.optout.notifier.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which failures wait for the database, which give up, and what the liveness check sees meanwhile. */
class RetryingTest {

    @Test
    void onlyAnUnreachableDatabaseCountsAsAnOutage() {
        assertThat(DatabaseOutage.caused(new IllegalStateException(new SQLException("refused", "08001")))).isTrue();
        assertThat(DatabaseOutage.caused(new RuntimeException(new SQLException("shutting down", "57P01")))).isTrue();
        assertThat(DatabaseOutage.caused(new RuntimeException(
                new SQLException("Acquisition timeout while waiting for new connection")))).isTrue();
        assertThat(DatabaseOutage.caused(new SQLTransientConnectionException("down"))).isTrue();
        assertThat(DatabaseOutage.caused(new RuntimeException(new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(DatabaseOutage.caused(new IllegalStateException("a bug"))).isFalse();
    }

    @Test
    void otherFailuresGiveUpAfterTheirAttemptsButAnOutageIsWaitedOut() {
        AtomicInteger tries = new AtomicInteger();
        assertThatThrownBy(() -> Retrying.run("test", () -> {
            tries.incrementAndGet();
            throw new IllegalStateException("a bug");
        }, Duration.ofMillis(1))).hasMessageContaining("processing failed " + Retrying.ATTEMPTS + " times");
        assertThat(tries).hasValue(Retrying.ATTEMPTS);
    }

    @Test
    void workWaitingForTheDatabaseIsNotStuckButWorkHangingOnSomethingElseIs() throws Exception {
        AtomicInteger outages = new AtomicInteger();
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> Retrying.run("waiting", () -> {
            if (outages.incrementAndGet() < 4) {
                throw new RuntimeException(new SQLTransientConnectionException("database down"));
            }
        }));
        boolean seenWaiting = false;
        while (!waiting.isDone() && !seenWaiting) {
            // Between attempts (0.5 s, then 1 s, then 2 s) the work is waiting for the database, not stuck.
            boolean notStuck = Retrying.stuckSince(Instant.now().plusSeconds(60)).isEmpty();
            seenWaiting = notStuck && outages.get() > 0 && outages.get() < 4;
            Thread.sleep(10);
        }
        assertThat(seenWaiting).as("seen waiting for the database").isTrue();
        waiting.get(10, TimeUnit.SECONDS);
        assertThat(outages).hasValue(4);

        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> hanging = CompletableFuture.runAsync(() -> Retrying.run("hanging", () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        Thread.sleep(100);
        assertThat(Retrying.stuckSince(Instant.now())).hasValueSatisfying(work -> assertThat(work).startsWith("hanging"));
        release.countDown();
        hanging.get(10, TimeUnit.SECONDS);
        assertThat(Retrying.stuckSince(Instant.now().plusSeconds(60))).isEmpty();
    }
}
