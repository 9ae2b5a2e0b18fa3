package org.optout.notifier.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When to try a mail again after a transient failure: exponential backoff from {@code initial}, capped at
 * {@code max}, each wait spread by ±25 % so that instances and subscribers do not retry in step; never at or after
 * {@code giveUpAt} (for a reminder, shortly before its deadline), when there is nothing left to try.
 */
public record RetryPolicy(Duration initial, Duration max, DoubleSupplier jitter) {

    /**
     * @param failedAttempts attempts made so far, the failed one included (1 after the first failure)
     * @return the next attempt, or empty when the mail is to be given up
     */
    public Optional<Instant> next(int failedAttempts, Instant now, Instant giveUpAt) {
        int doublings = Math.min(Math.max(failedAttempts - 1, 0), 30);
        long base = Math.min(max.toMillis(), initial.toMillis() << doublings);
        long wait = Math.round(base * (0.75 + 0.5 * jitter.getAsDouble()));
        Instant next = now.plusMillis(Math.max(wait, 1));
        if (next.isBefore(giveUpAt)) {
            return Optional.of(next);
        }
        // One last try just before giving up, unless that moment has come.
        return now.isBefore(giveUpAt) ? Optional.of(giveUpAt) : Optional.empty();
    }
}
