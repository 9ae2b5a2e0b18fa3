package org.optout.notifier.pressure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Giving way: not at all without pressure, while it lasts, and never longer than allowed. */
class PressureTest {

    private final Pressure pressure = new Pressure();
    private final ScheduledExecutorService burst = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void endBurst() {
        burst.shutdownNow();
    }

    @Test
    void withoutPressureNothingWaits() {
        assertThat(pressure.high()).isFalse();
        assertThat(pressure.giveWay(Duration.ofSeconds(5))).isLessThan(Duration.ofMillis(100));
    }

    @Test
    void givingWayLastsUntilAGapPassesWithoutASign() {
        burst.scheduleAtFixedRate(pressure::felt, 0, 50, TimeUnit.MILLISECONDS);
        burst.schedule(burst::shutdown, 600, TimeUnit.MILLISECONDS);
        sleep(Duration.ofMillis(100));

        Duration waited = pressure.giveWay(Duration.ofSeconds(10));

        // The burst's last sign comes about 450 ms after this begins; the wait ends one gap after it.
        assertThat(waited).isBetween(Duration.ofMillis(400).plus(Pressure.GAP), Duration.ofSeconds(3));
        assertThat(pressure.high()).isFalse();
    }

    @Test
    void aBurstThatNeverEndsIsGivenWayToForAtMostTheTimeAllowed() {
        burst.scheduleAtFixedRate(pressure::felt, 0, 50, TimeUnit.MILLISECONDS);
        sleep(Duration.ofMillis(100));

        Duration waited = pressure.giveWay(Duration.ofMillis(700));

        assertThat(pressure.high()).isTrue();
        assertThat(waited).isBetween(Duration.ofMillis(700), Duration.ofMillis(1500));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
