package org.optout.notifier.ratelimit;

import java.time.Duration;

/** A client went over its request budget; answered with 429 and {@code Retry-After}. */
public class RateLimitedException extends RuntimeException {

    private final Duration retryAfter;

    public RateLimitedException(Duration retryAfter) {
        super("rate limited", null, false, false);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
