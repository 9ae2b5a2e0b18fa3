package org.optout.notifier.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.optout.notifier.pressure.Pressure;

/** The intake is under pressure from a full poll until the burst's gap has passed without another. */
class IntakePressureTest {

    private final IntakePressure pressure = new IntakePressure();

    @Test
    void onlyAFullPollMeansTheIntakeIsBehind() {
        assertThat(pressure.high()).isFalse();

        pressure.polled(3, 100);
        assertThat(pressure.high()).isFalse();

        pressure.polled(100, 100);
        assertThat(pressure.high()).isTrue();
    }

    @Test
    void thePressureEndsOneGapAfterTheLastFullPoll() throws InterruptedException {
        pressure.polled(100, 100);

        Thread.sleep(Pressure.GAP.multipliedBy(2).toMillis());

        assertThat(pressure.high()).isFalse();
    }
}
