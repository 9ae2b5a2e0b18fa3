package org.optout.notifier.subscription;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.optout.notifier.config.NotifierConfig;
import org.optout.notifier.pressure.Pressure;
import org.optout.notifier.ratelimit.RateLimiter;

/**
 * Works off received sign-up requests: at once when one arrives, and by polling for retries. Each request is claimed
 * by deleting its row in the transaction that answers it, so with several replicas only one answers, and a failure
 * (mail server down) rolls the claim back and the request is retried with exponential backoff, for as long as the
 * confirmation link it would carry stays valid: an answer after that could only say "this link has expired". Then,
 * and only then, it is dropped, with a log line and {@code optout.signup.answers.dropped}.
 *
 * <p>The work runs on a thread of its own, never on a request or scheduler thread: it waits for the SMTP server, and
 * the Vert.x mail client must not need the context that the waiting thread holds.
 */
@ApplicationScoped
public class RequestProcessor {

    static final int BATCH = 50;
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    /**
     * How long answering waits at most for a burst of sign-ups to pass before its first batch; before each further
     * one, at most as long as the batch before took, so that it works at least half the time however long a burst
     * lasts. The sign-up benchmark's profile had answering (rendering, mailing, its transactions) take 44 % of the
     * service's samples while requests were being accepted on the same two cores.
     */
    static final Duration GIVING_WAY = Duration.ofSeconds(1);

    private final Clock clock;
    private final SubscriptionService service;
    private final RateLimiter rateLimiter;
    private final Pressure signUps;
    private final NotifierConfig.RateLimit limits;
    private final Duration answerWithin;
    private final Counter dropped;
    private final AtomicBoolean running = new AtomicBoolean();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            runnable -> new Thread(runnable, "subscription-request-processor"));
    private final AtomicBoolean wanted = new AtomicBoolean();
    private final AtomicBoolean queued = new AtomicBoolean();

    RequestProcessor(Clock clock, SubscriptionService service, RateLimiter rateLimiter, SignUpWriter writer,
            NotifierConfig config, MeterRegistry registry) {
        this.clock = clock;
        this.service = service;
        this.rateLimiter = rateLimiter;
        this.signUps = writer.pressure();
        this.limits = config.rateLimit();
        this.answerWithin = config.subscriptions().confirmationValidity();
        this.dropped = Counter.builder("optout.signup.answers.dropped")
                .description("Sign-up requests never answered: the mail server refused until their link would have "
                        + "expired").register(registry);
    }

    /** After the request's transaction committed: answer it now, on the processor's thread. */
    void onReceived(@Observes(during = TransactionPhase.AFTER_SUCCESS) SubscriptionService.RequestReceived event) {
        drainInBackground();
    }

    @Scheduled(every = "${notifier.subscriptions.request-poll}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        drainInBackground();
    }

    /** One queued drain for however many asked before it started: a batch of sign-ups asks once per request. */
    private void drainInBackground() {
        if (queued.compareAndSet(false, true)) {
            worker.execute(() -> {
                queued.set(false);
                drain();
            });
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdown();
    }

    @Scheduled(every = "10m", delayed = "1m",
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void purge() {
        service.purgeExpired();
        rateLimiter.purge(clock.instant().minus(limits.window()));
    }

    /**
     * Answers every due request. One drain at a time per instance: a call while one runs makes that one go round
     * again instead, so that bursts of requests do not pile up threads and connections waiting on each other's rows.
     * Each batch first gives way to a burst of sign-ups (see {@link #GIVING_WAY}).
     */
    public void drain() {
        wanted.set(true);
        while (wanted.get() && running.compareAndSet(false, true)) {
            try {
                wanted.set(false);
                Duration mayGiveWay = GIVING_WAY;
                List<Long> due;
                do {
                    signUps.giveWay(mayGiveWay);
                    long start = System.nanoTime();
                    due = dueRequests();
                    due.forEach(this::process);
                    mayGiveWay = Duration.ofNanos(System.nanoTime() - start);
                } while (due.size() == BATCH);
            } finally {
                running.set(false);
            }
        }
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

    private void process(long id) {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                ReceivedRequest request = ReceivedRequest.findById(id);
                if (request != null && ReceivedRequest.delete("id", id) == 1) {
                    service.answer(request);
                }
            });
        } catch (RuntimeException e) {
            postpone(id, e);
        }
    }

    private void postpone(long id, RuntimeException cause) {
        QuarkusTransaction.requiringNew().run(() -> {
            ReceivedRequest request = ReceivedRequest.findById(id);
            if (request == null) {
                return;
            }
            request.attempts++;
            Instant now = clock.instant();
            Instant expires = request.receivedAt.plus(answerWithin);
            // The cause's message may quote the address (SMTP replies do): only its type goes to the log.
            if (!now.isBefore(expires)) {
                request.delete();
                dropped.increment();
                Log.errorf("Request %d given up after %d attempts over %s (%s): its confirmation link would have "
                        + "expired", id, request.attempts, answerWithin, cause.getClass().getSimpleName());
                return;
            }
            Duration backoff = backoff(request.attempts);
            request.nextAttemptAt = min(now.plus(backoff), expires);
            Log.warnf("Request %d failed (attempt %d, %s), retry in %ds", id, request.attempts,
                    cause.getClass().getSimpleName(), backoff.toSeconds());
        });
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** 2, 4, 8 ... seconds with up to 50 % jitter, at most ten minutes. */
    static Duration backoff(int attempts) {
        long seconds = Math.min(MAX_BACKOFF.toSeconds(), 1L << Math.min(attempts, 20));
        return Duration.ofMillis((long) (seconds * 1000 * (1 + ThreadLocalRandom.current().nextDouble() * 0.5)));
    }
}
