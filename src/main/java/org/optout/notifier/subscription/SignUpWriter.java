package org.optout.notifier.subscription;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.optout.notifier.config.NotifierConfig;
import org.optout.notifier.ratelimit.Admission;
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

    private record Entry(String bucket, ValidatedRequest request, Origin origin, CompletableFuture<Void> stored) {
    }

    private final RateLimiter rateLimiter;
    private final SubscriptionService service;
    private final NotifierConfig.RateLimit limits;
    private final BlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(
            runnable -> new Thread(runnable, "sign-up-writer"));
    private final DistributionSummary groupSizes;
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
    void stop() {
        running = false;
        writer.shutdown();
    }

    /**
     * Counts a hit in {@code bucket} and, when the limit allows it and {@code request} is not null, queues the
     * request. The future fails with {@link org.optout.notifier.ratelimit.RateLimitedException} when the limit
     * refused it, or with the database's failure, after which nothing of it is stored.
     */
    CompletableFuture<Void> write(String bucket, ValidatedRequest request, Origin origin) {
        Entry entry = new Entry(bucket, request, origin, new CompletableFuture<>());
        if (!running) {
            entry.stored.completeExceptionally(new IllegalStateException("the service is stopping"));
        } else {
            queue.add(entry);
        }
        return entry.stored;
    }

    private void writeGroups() {
        List<Entry> group = new ArrayList<>(GROUP);
        while (running || !queue.isEmpty()) {
            try {
                Entry first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, GROUP - 1);
                commit(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    private void commit(List<Entry> group) {
        Admission admission;
        try {
            admission = rateLimiter.counting(() -> store(group));
        } catch (RuntimeException e) {
            group.forEach(entry -> entry.stored.completeExceptionally(e));
            return;
        }
        groupSizes.record(group.size());
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
