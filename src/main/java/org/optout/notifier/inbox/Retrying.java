package org.optout.notifier.inbox;

import io.quarkus.logging.Log;
import java.time.Duration;
import org.optout.notifier.problem.InvalidRequestException;

/**
 * Runs a consumer's work again when it fails for a reason other than the record itself (the database is down, two
 * revisions raced for the same row): such a record is not invalid, and the dead-letter topic is no place for it.
 * A record that breaks the contract fails at once. Only after the retries does any failure reach the channel's
 * failure strategy, with its type as the reason.
 */
public final class Retrying {

    static final int ATTEMPTS = 8;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);

    private Retrying() {
    }

    public static void run(String what, Runnable work) {
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1; ; attempt++) {
            try {
                work.run();
                return;
            } catch (InvalidEventException | InvalidRequestException invalid) {
                throw invalid;
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS) {
                    throw new IllegalStateException("processing failed " + ATTEMPTS + " times: " + e.getClass().getName());
                }
                Log.warnf("%s failed (attempt %d, %s), trying again in %d ms", what, attempt, e.getClass().getName(),
                        pause.toMillis());
                sleep(pause);
                pause = pause.multipliedBy(2);
            }
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
