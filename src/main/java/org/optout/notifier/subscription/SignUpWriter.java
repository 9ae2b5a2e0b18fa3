package org.optout.notifier.subscription;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ServiceUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.optout.notifier.config.NotifierConfig;
import org.optout.notifier.pressure.Pressure;
import org.optout.notifier.ratelimit.Admission;
import org.optout.notifier.ratelimit.RateLimitedException;
import org.optout.notifier.ratelimit.RateLimiter;

/**
 * Stores the sign-ups of concurrent requests together: one transaction counts their hits on the rate limit and
 * queues the allowed ones, and each request hears its own answer after the commit. While one group commits, the next
 * gathers, so a burst costs a commit per group rather than per request, and a lone request waits for nobody.
 */
@ApplicationScoped
public class SignUpWriter {

    /** Requests stored in one transaction at most. */
    static final int GROUP = 100;

    /** Requests waiting at most: with the database stalled, callers hear 503 at once rather than pile up. */
    static final int WAITING = 20 * GROUP;

    /** How long a request waits to be taken into a group; once taken, it waits for the group's commit. */
    static final long WAIT_SECONDS = 30;

    /** A request's sign-up; {@code taken} by the writer or by its caller giving up, whichever comes first. */
    record Entry(String bucket, ValidatedRequest request, Origin origin, CompletableFuture<Void> stored,
            AtomicBoolean taken) {

        boolean take() {
            return taken.compareAndSet(false, true);
        }
    }

    private final RateLimiter rateLimiter;
    private final SubscriptionService service;
    private final NotifierConfig.RateLimit limits;
    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(WAITING);
    private final ExecutorService writer = Executors.newSingleThreadExecutor(
            runnable -> new Thread(runnable, "sign-up-writer"));
    private final DistributionSummary groupSizes;
    private final Pressure pressure = new Pressure();
    private volatile boolean running = true;

    SignUpWriter(RateLimiter rateLimiter, SubscriptionService service, NotifierConfig config, MeterRegistry registry) {
        this.rateLimiter = rateLimiter;
        this.service = service;
        this.limits = config.rateLimit();
        this.groupSizes = DistributionSummary.builder("optout.signup.group.size")
                .description("Sign-up requests (web form and API) counted and stored in one transaction")
                .register(registry);
    }

    @PostConstruct
    void start() {
        writer.execute(this::writeGroups);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        writer.shutdown();
        writer.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Counts a hit in {@code bucket} and, when the limit allows it and {@code request} is not null, queues the
     * request; returns once that is committed.
     *
     * @throws RateLimitedException when the limit refused it; nothing is queued
     * @throws ServiceUnavailableException when too many requests wait or none was taken in time; nothing is stored
     */
    void store(String bucket, ValidatedRequest request, Origin origin) {
        await(submit(bucket, request, origin));
    }

    /** Queues a sign-up for the next group; see {@link #await}. */
    Entry submit(String bucket, ValidatedRequest request, Origin origin) {
        Entry entry = new Entry(bucket, request, origin, new CompletableFuture<>(), new AtomicBoolean());
        if (!running) {
            throw stopping();
        }
        if (!queue.offer(entry)) {
            throw new ServiceUnavailableException("Too many sign-ups at once; try again in a moment.");
        }
        // The writer may have stopped meanwhile, and then no group would take it.
        if (!running && queue.remove(entry)) {
            throw stopping();
        }
        return entry;
    }

    private static ServiceUnavailableException stopping() {
        return new ServiceUnavailableException("The service is stopping; try again in a moment.");
    }

    /** Waits for a sign-up's group: see {@link #store}. */
    void await(Entry entry) {
        try {
            try {
                entry.stored.get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                if (entry.take()) {
                    throw new ServiceUnavailableException("Sign-ups are slow to store; try again in a moment.");
                }
                entry.stored.get();
            }
        } catch (ExecutionException e) {
            // The refusal is this request's own; any other failure is shared by its group: one exception each.
            if (e.getCause() instanceof RateLimitedException refused) {
                throw refused;
            }
            throw new IllegalStateException("sign-up not stored", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** High while sign-ups arrive faster than one commit at a time: they had to wait for one another. */
    Pressure pressure() {
        return pressure;
    }

    private void writeGroups() {
        List<Entry> waiting = new ArrayList<>(GROUP);
        while (running || !queue.isEmpty()) {
            try {
                Entry first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                waiting.add(first);
                queue.drainTo(waiting, GROUP - 1);
                // A request whose caller gave up waiting is not stored: it heard that nothing was.
                List<Entry> group = waiting.stream().filter(Entry::take).toList();
                if (!group.isEmpty()) {
                    commit(group);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                waiting.clear();
            }
        }
        queue.forEach(entry -> entry.stored.completeExceptionally(new IllegalStateException("writer stopped")));
    }

    private void commit(List<Entry> group) {
        Admission admission;
        try {
            admission = rateLimiter.counting(() -> store(group));
        } catch (Throwable e) {
            // An Error too: the writer goes on, and no caller waits for a group that will never commit.
            Log.warnf("A group of %d sign-ups was not stored: %s", group.size(), e.getClass().getName());
            group.forEach(entry -> entry.stored.completeExceptionally(e));
            return;
        }
        groupSizes.record(group.size());
        if (group.size() > 1) {
            pressure.felt();
        }
        for (int i = 0; i < group.size(); i++) {
            if (admission.allows(i)) {
                group.get(i).stored.complete(null);
            } else {
                group.get(i).stored.completeExceptionally(admission.refusal());
            }
        }
    }

    private Admission store(List<Entry> group) {
        Admission admission = rateLimiter.hit(group.stream().map(Entry::bucket).toList(), limits.signUpsPerWindow(),
                limits.window());
        for (int i = 0; i < group.size(); i++) {
            Entry entry = group.get(i);
            if (admission.allows(i) && entry.request != null) {
                service.receive(entry.request, entry.origin, null);
            }
        }
        return admission;
    }
}
