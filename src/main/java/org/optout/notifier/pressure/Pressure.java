package org.optout.notifier.pressure;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Whether work is arriving faster than it is taken in, from the signs its taker reports (a full poll, a group of
 * requests that had to wait for one another): it is until a gap has passed without one. Work that can wait gives way
 * while it is, for a bounded time: on two cores, background work and its database session took as much of the machine
 * as the work in front of it, and a reminder planned or a confirmation sent seconds later is still in time.
 */
public class Pressure {

    /** Signs a little further apart than the taker's own pace still belong to the same burst. */
    public static final Duration GAP = Duration.ofMillis(250);

    private static final long CHECK_EVERY = GAP.toNanos() / 5;

    private volatile long lastSign = System.nanoTime() - GAP.toNanos();

    /** The taker fell behind just now. */
    public void felt() {
        lastSign = System.nanoTime();
    }

    /** The last sign is less than {@link #GAP} ago. */
    public boolean high() {
        return System.nanoTime() - lastSign < GAP.toNanos();
    }

    /** Waits while the pressure is high, at most {@code longest}; returns how long it waited. */
    public Duration giveWay(Duration longest) {
        long start = System.nanoTime();
        long until = start + longest.toNanos();
        for (long now = start; high() && now < until; now = System.nanoTime()) {
            LockSupport.parkNanos(Math.min(CHECK_EVERY, until - now));
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
