package org.optout.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SendPaceTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<Duration> waits = new ArrayList<>();

    private SendPace pace(double perSecond) {
        return new SendPace(perSecond, nanos::get, duration -> {
            waits.add(duration);
            nanos.addAndGet(duration.toNanos());
        });
    }

    @Test
    void aBurstIsSpreadToTheRate() {
        SendPace pace = pace(4);

        for (int i = 0; i < 9; i++) {
            pace.awaitSlot();
        }

        assertThat(waits).hasSize(8).allMatch(wait -> wait.equals(Duration.ofMillis(250)));
        assertThat(nanos.get() - 1_000_000_000L).isEqualTo(Duration.ofSeconds(2).toNanos());
    }

    @Test
    void timeAlreadyPassedIsNotMadeUpForWithABurst() {
        SendPace pace = pace(2);
        pace.awaitSlot();
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());

        pace.awaitSlot();
        pace.awaitSlot();

        assertThat(waits).containsExactly(Duration.ofMillis(500));
    }

    @Test
    void zeroMeansNoLimit() {
        SendPace pace = pace(0);

        for (int i = 0; i < 1000; i++) {
            pace.awaitSlot();
        }

        assertThat(waits).isEmpty();
    }

    @Test
    void aPaceAwaitingItsRateHoldsSendsUntilItIsSet() throws Exception {
        SendPace pace = new SendPace(nanos::get, duration -> nanos.addAndGet(duration.toNanos()));
        Thread sender = new Thread(pace::awaitSlot);
        sender.start();

        sender.join(300);
        assertThat(sender.isAlive()).as("a send before the first rate waits").isTrue();

        pace.changeRate(4);
        sender.join(5_000);
        assertThat(sender.isAlive()).as("a send after the first rate goes").isFalse();
    }
}
