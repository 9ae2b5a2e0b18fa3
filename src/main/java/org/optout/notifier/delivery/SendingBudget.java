package org.optout.notifier.delivery;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.optout.notifier.config.NotifierConfig;

/**
 * The relay's quota ({@code notifier.delivery.max-mails-per-second}) belongs to the account, not to a replica: each
 * replica paces its mails to the quota divided by the replicas that sent a heartbeat recently. A heartbeat is a row
 * of {@code sending_replica}, written every fifth of {@code notifier.delivery.heartbeat}; a replica counts while its
 * row is younger than three fifths of it. So a replica that dies without a word (a kill, a lost node) leaves its share
 * to the others within four fifths of the period, one that stops removes its row and leaves it at their next beat,
 * and one that misses a beat (a long pause) still counts. A replica that joins is counted by the others at their next
 * beat: for that fifth of the period the deployment may send up to one replica's share too much.
 * <p>
 * Times are the replicas' own wall clocks (the quota is in real seconds; nodes keep their clocks within milliseconds
 * of each other), never the service's {@link java.time.Clock}, which tests move.
 */
@ApplicationScoped
public class SendingBudget {

    /** Rows of replicas gone for this many periods are deleted. */
    private static final int FORGOTTEN_AFTER_PERIODS = 12;

    private static final Duration TICK = Duration.ofSeconds(1);

    private final String replica = UUID.randomUUID().toString();
    private final double quota;
    private final Duration heartbeat;
    private final SendPace pace;
    private volatile int replicas = 1;
    private volatile long lastBeat;

    SendingBudget(NotifierConfig config, MeterRegistry registry) {
        this.quota = config.delivery().maxMailsPerSecond();
        this.heartbeat = config.delivery().heartbeat();
        this.pace = SendPace.awaitingRate();
        Gauge.builder("optout.delivery.replicas", () -> replicas)
                .description("Replicas sharing the relay's quota, as this replica last counted them")
                .register(registry);
        Gauge.builder("optout.delivery.share", this::share)
                .description("Mails per second this replica sends at most: its share of the quota (0: no limit)")
                .register(registry);
    }

    /**
     * The first beat, before any mail is sent (sends wait for it) but off the start's path: as a start's first query it
     * took a second of the main thread's start-up.
     */
    void start(@Observes StartupEvent started) {
        Thread first = new Thread(this::beat, "first-heartbeat");
        first.setDaemon(true);
        first.start();
    }

    /**
     * A beat every fifth of the period, at most one a second. Half a tick early counts as on time: a tick that comes a
     * little before the fifth is up would otherwise wait for the next one, and a replica beating every other tick
     * comes close to dropping out of the count.
     */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        if (System.nanoTime() - lastBeat >= heartbeat.toNanos() / 5 - TICK.toNanos() / 2) {
            beat();
        }
    }

    /** Writes this replica's heartbeat, counts the replicas alive and takes this one's share. */
    synchronized void beat() {
        lastBeat = System.nanoTime();
        Instant now = Instant.now();
        try {
            replicas = Math.max(1, QuarkusTransaction.requiringNew().call(() -> {
                if (SendingReplica.update("seenAt = ?1 where id = ?2", now, replica) == 0) {
                    SendingReplica row = new SendingReplica();
                    row.id = replica;
                    row.seenAt = now;
                    row.persist();
                }
                SendingReplica.delete("seenAt < ?1", now.minus(heartbeat.multipliedBy(FORGOTTEN_AFTER_PERIODS)));
                return (int) SendingReplica.count("seenAt > ?1", now.minus(heartbeat.multipliedBy(3).dividedBy(5)));
            }));
        } catch (RuntimeException e) {
            // The last share stands (alone, before a first count): without the database nothing is claimed, so
            // nothing is sent either.
            Log.warnf("Heartbeat not written (%s); sending on at %.2f mails/s", e.getClass().getSimpleName(),
                    share());
        }
        pace.changeRate(share());
    }

    /** The deployment's mails per second, 0 for no limit. */
    public double quota() {
        return quota;
    }

    /** This replica's mails per second, 0 for no limit. */
    public double share() {
        return quota <= 0 ? 0 : quota / replicas;
    }

    /** The replicas counted at the last beat, this one included. */
    public int replicas() {
        return replicas;
    }

    SendPace pace() {
        return pace;
    }

    /** A replica that stops leaves its share to the others at their next beat. */
    @PreDestroy
    void stop() {
        try {
            QuarkusTransaction.requiringNew().run(() -> SendingReplica.deleteById(replica));
        } catch (RuntimeException e) {
            Log.debugf("Heartbeat row left to expire (%s)", e.getClass().getSimpleName());
        }
    }
}
