package org.optout.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");
    private static final Instant FAR = NOW.plus(Duration.ofDays(30));

    @Test
    void waitsDoubleFromTheInitialWaitUpToTheCap() {
        RetryPolicy policy = new RetryPolicy(Duration.ofMinutes(1), Duration.ofMinutes(30), () -> 0.5);

        assertThat(policy.next(1, NOW, FAR)).contains(NOW.plus(Duration.ofMinutes(1)));
        assertThat(policy.next(2, NOW, FAR)).contains(NOW.plus(Duration.ofMinutes(2)));
        assertThat(policy.next(5, NOW, FAR)).contains(NOW.plus(Duration.ofMinutes(16)));
        assertThat(policy.next(6, NOW, FAR)).contains(NOW.plus(Duration.ofMinutes(30)));
        assertThat(policy.next(400, NOW, FAR)).contains(NOW.plus(Duration.ofMinutes(30)));
    }

    @Test
    void jitterSpreadsEachWaitByAQuarterEitherWay() {
        assertThat(new RetryPolicy(Duration.ofMinutes(4), Duration.ofHours(1), () -> 0.0).next(1, NOW, FAR))
                .contains(NOW.plus(Duration.ofMinutes(3)));
        assertThat(new RetryPolicy(Duration.ofMinutes(4), Duration.ofHours(1), () -> 0.999999).next(1, NOW, FAR))
                .hasValueSatisfying(next -> assertThat(next).isBetween(NOW.plus(Duration.ofSeconds(299)),
                        NOW.plus(Duration.ofMinutes(5))));
    }

    @Test
    void theLastTryIsAtTheGiveUpInstantAndThereIsNoneAfterIt() {
        RetryPolicy policy = new RetryPolicy(Duration.ofMinutes(10), Duration.ofMinutes(30), () -> 0.5);
        Instant giveUpAt = NOW.plus(Duration.ofMinutes(4));

        assertThat(policy.next(1, NOW, giveUpAt)).contains(giveUpAt);
        assertThat(policy.next(2, giveUpAt, giveUpAt)).isEmpty();
        assertThat(policy.next(2, giveUpAt.plusSeconds(1), giveUpAt)).isEmpty();
    }
}
