package org.optout.notifier.inbox;

import io.quarkus.logging.Log;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.optout.notifier.problem.InvalidRequestException;

/**
 * Runs a consumer's work again when it fails for a reason other than the record itself. A record that breaks the
 * contract fails at once, for the dead-letter topic. While the database cannot be reached the work waits for it with
 * backoff, however long that takes: the record is valid, and consumption of its partition pauses behind it until the
 * database is back. Any other failure (two revisions racing for the same row) is tried {@value #ATTEMPTS} times,
 * then fails with its type as the reason. What is in progress is watched, so that work stuck for another reason than
 * the database shows in the liveness check.
 */
public final class Retrying {

    static final int ATTEMPTS = 8;
    static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

    /** Work in progress by thread: since when, and whether it is waiting for the database. */
    private static final Map<Thread, InProgress> IN_PROGRESS = new ConcurrentHashMap<>();

    private record InProgress(String what, Instant since, boolean waitingForDatabase) {
    }

    private Retrying() {
    }

    public static void run(String what, Runnable work) {
        run(what, work, FIRST_PAUSE);
    }

    /** With the first pause given (doubling up to 30 s): tests need not wait minutes. */
    static void run(String what, Runnable work, Duration firstPause) {
        call(what, () -> {
            work.run();
            return null;
        }, firstPause, ATTEMPTS);
    }

    /** As {@link #run}, with the work's result. */
    public static <T> T call(String what, Supplier<T> work) {
        return call(what, work, FIRST_PAUSE, ATTEMPTS);
    }

    /**
     * As {@link #call}, but a failure other than an outage is tried {@code attempts} times; 1 fails at once, for work
     * that has a better second try than the same work again (a batch that can be split).
     */
    public static <T> T call(String what, Supplier<T> work, int attempts) {
        return call(what, work, FIRST_PAUSE, attempts);
    }

    static <T> T call(String what, Supplier<T> work, Duration firstPause, int attempts) {
        Thread thread = Thread.currentThread();
        IN_PROGRESS.put(thread, new InProgress(what, Instant.now(), false));
        try {
            return retry(what, work, thread, firstPause, attempts);
        } finally {
            IN_PROGRESS.remove(thread);
        }
    }

    /**
     * The oldest work in progress that is not waiting for the database, if it began before {@code before}: a
     * consumer stuck on something else.
     */
    public static Optional<String> stuckSince(Instant before) {
        return IN_PROGRESS.values().stream()
                .filter(work -> !work.waitingForDatabase() && work.since().isBefore(before))
                .min((a, b) -> a.since().compareTo(b.since()))
                .map(work -> work.what() + " in progress since " + work.since());
    }

    private static <T> T retry(String what, Supplier<T> work, Thread thread, Duration firstPause, int attempts) {
        Duration pause = firstPause;
        int failures = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (InvalidEventException | InvalidRequestException invalid) {
                throw invalid;
            } catch (RuntimeException e) {
                boolean outage = DatabaseOutage.caused(e);
                if (!outage && ++failures == attempts) {
                    throw attempts == 1 ? e : new IllegalStateException("processing failed " + attempts + " times: "
                            + e.getClass().getName());
                }
                Log.warnf("%s failed (attempt %d, %s), trying again in %d ms", what, attempt,
                        outage ? "database unreachable" : e.getClass().getName(), pause.toMillis());
                // The watch restarts with each attempt: waiting for the database is not being stuck.
                IN_PROGRESS.put(thread, new InProgress(what, Instant.now(), outage));
                sleep(pause);
                IN_PROGRESS.put(thread, new InProgress(what, Instant.now(), false));
                pause = longer(pause);
            }
        }
    }

    /** Twice the pause, up to 30 s. */
    static Duration longer(Duration pause) {
        return pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
    }

    static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
