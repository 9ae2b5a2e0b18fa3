package org.optout.notifier.ratelimit;

import java.time.Duration;
import java.util.List;

/** The answer to hits counted together: which of them the limit allows, and how long the others must wait. */
public record Admission(List<Boolean> allowed, Duration retryAfter) {

    public boolean allows(int hit) {
        return allowed.get(hit);
    }

    public RateLimitedException refusal() {
        return new RateLimitedException(retryAfter);
    }
}
