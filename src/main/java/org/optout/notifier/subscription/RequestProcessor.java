package org.optout.notifier.subscription;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Works off received sign-up requests: at once when one arrives, and by polling for retries. Each request is claimed
 * by deleting its row in the transaction that answers it, so with several replicas only one answers, and a failure
 * (mail server down) rolls the claim back and the request is retried with exponential backoff. Nothing is dropped.
 */
@ApplicationScoped
public class RequestProcessor {

    private static final int BATCH = 50;
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    private final Clock clock;
    private final SubscriptionService service;

    RequestProcessor(Clock clock, SubscriptionService service) {
        this.clock = clock;
        this.service = service;
    }

    /** After the request's transaction committed: answer it now, on a worker thread, not the caller's. */
    void onReceived(@Observes(during = TransactionPhase.AFTER_SUCCESS) SubscriptionService.RequestReceived event) {
        Infrastructure.getDefaultWorkerPool().execute(this::drain);
    }

    @Scheduled(every = "${notifier.subscriptions.request-poll}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        drain();
    }

    @Scheduled(every = "10m", delayed = "1m")
    void purge() {
        service.purgeExpired();
    }

    /** Answers every due request; returns how many were answered. */
    public int drain() {
        int answered = 0;
        List<Long> due;
        do {
            due = dueRequests();
            for (Long id : due) {
                answered += process(id) ? 1 : 0;
            }
        } while (due.size() == BATCH);
        return answered;
    }

    private List<Long> dueRequests() {
        Instant now = clock.instant();
        return QuarkusTransaction.requiringNew().call(() -> ReceivedRequest
                .find("nextAttemptAt <= ?1 order by id", now)
                .page(0, BATCH)
                .project(IdOnly.class)
                .list().stream().map(IdOnly::id).toList());
    }

    /** A projection: just the id. */
    public record IdOnly(Long id) {
    }

    private boolean process(long id) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                ReceivedRequest request = ReceivedRequest.findById(id);
                if (request == null || ReceivedRequest.delete("id", id) == 0) {
                    return false;
                }
                service.answer(request);
                return true;
            });
        } catch (RuntimeException e) {
            postpone(id, e);
            return false;
        }
    }

    private void postpone(long id, RuntimeException cause) {
        QuarkusTransaction.requiringNew().run(() -> {
            ReceivedRequest request = ReceivedRequest.findById(id);
            if (request != null) {
                request.attempts++;
                Duration backoff = backoff(request.attempts);
                request.nextAttemptAt = clock.instant().plus(backoff);
                Log.warnf("Request %d failed (attempt %d), retry in %ds: %s", id, request.attempts,
                        backoff.toSeconds(), cause.getMessage());
            }
        });
    }

    /** 2, 4, 8 ... seconds with up to 50 % jitter, at most ten minutes. */
    static Duration backoff(int attempts) {
        long seconds = Math.min(MAX_BACKOFF.toSeconds(), 1L << Math.min(attempts, 20));
        return Duration.ofMillis((long) (seconds * 1000 * (1 + ThreadLocalRandom.current().nextDouble() * 0.5)));
    }
}
