package org.optout.notifier.delivery;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;

/**
 * Spreads one instance's mails to at most a given number per second (its share of the relay's quota; the 09:00 peak):
 * each send waits for its slot. Wall-clock time, not the service's clock: the quota is the relay's, in real seconds.
 * The rate may change while mails are sent ({@link SendingBudget}); a slot already given keeps its time. A pace made
 * {@link #awaitingRate()} holds every send until its first rate is set.
 */
public class SendPace {

    /** Waits; replaceable in tests. */
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final Sleeper THREAD_SLEEP = duration -> Thread.sleep(duration.toMillis(),
            duration.toNanosPart() % 1_000_000);

    private volatile long intervalNanos;
    private final CountDownLatch rated = new CountDownLatch(1);
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private long nextSlot;

    /** @param mailsPerSecond at most this many sends per second; 0 or less for no limit */
    public SendPace(double mailsPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
        this(nanoTime, sleeper);
        changeRate(mailsPerSecond);
    }

    SendPace(LongSupplier nanoTime, Sleeper sleeper) {
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.nextSlot = nanoTime.getAsLong();
    }

    public static SendPace perSecond(double mailsPerSecond) {
        return new SendPace(mailsPerSecond, System::nanoTime, THREAD_SLEEP);
    }

    /** A pace whose sends wait for its first {@link #changeRate}: the rate is not known yet. */
    static SendPace awaitingRate() {
        return new SendPace(System::nanoTime, THREAD_SLEEP);
    }

    /** From now on at most this many sends per second; 0 or less for no limit. */
    public void changeRate(double mailsPerSecond) {
        intervalNanos = mailsPerSecond <= 0 ? 0 : Math.round(1_000_000_000d / mailsPerSecond);
        rated.countDown();
    }

    /** Returns when the next mail may go. */
    public synchronized void awaitSlot() {
        try {
            rated.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        long interval = intervalNanos;
        long now = nanoTime.getAsLong();
        if (interval == 0) {
            nextSlot = now;
            return;
        }
        long slot = Math.max(now, nextSlot);
        nextSlot = slot + interval;
        if (slot > now) {
            try {
                sleeper.sleep(Duration.ofNanos(slot - now));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
