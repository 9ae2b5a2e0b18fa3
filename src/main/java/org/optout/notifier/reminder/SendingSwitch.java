package org.optout.notifier.reminder;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operator's pause of all reminder and follow-up mail. Kept in the database so that every instance obeys it;
 * the dispatcher looks before each mail starts, so a pause stops every mail not yet started: on this instance at
 * once, on others within {@value #LOOK_EVERY_MILLIS} ms. Planning
 * goes on, and what falls due meanwhile goes out on resume.
 */
@ApplicationScoped
public class SendingSwitch {

    /** Whether mail is paused, and since when the switch is in this position. */
    public record State(boolean paused, Instant since) {
    }

    static final long LOOK_EVERY_MILLIS = 100;

    private final EntityManager em;
    private final Clock clock;
    private final AtomicBoolean looking = new AtomicBoolean();
    private final AtomicLong turns = new AtomicLong();
    private final ExecutorService looker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sending-switch");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean seenPaused;
    private volatile long seenAt = System.nanoTime() - LOOK_EVERY_MILLIS * 2_000_000L;

    SendingSwitch(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    public State state() {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Object[] row = (Object[]) em.createNativeQuery("select paused, changed_at from sending_state where id = 1",
                    Object[].class).getSingleResult();
            return new State((Boolean) row[0], instant(row[1]));
        });
    }

    /**
     * Whether mail is paused, looked up now. A turn on this instance while the query ran is newer than what it read:
     * the dispatcher's lookup before a batch once read "running" just before a pause committed, stored it just after
     * the pause's own view, and two batches went out after the pause had answered.
     */
    public boolean paused() {
        long turnsBefore = turns.get();
        return seenUnlessTurned(turnsBefore, state().paused());
    }

    /**
     * Whether mail is paused, as seen within the last {@value #LOOK_EVERY_MILLIS} ms or else looked up now: for the
     * start of a batch, which must not go by an old view (another instance's pause while this one was idle) but need
     * not ask the database again while {@link #pausedLately()} keeps the view fresh (a query before every batch was
     * 4 % of the dispatcher's samples).
     */
    public boolean pausedAsSeenLately() {
        return System.nanoTime() - seenAt <= LOOK_EVERY_MILLIS * 1_000_000L ? seenPaused : paused();
    }

    @PreDestroy
    void stop() {
        looker.shutdownNow();
    }

    /**
     * Whether mail is paused, looked up at most every {@value #LOOK_EVERY_MILLIS} ms, for a question asked before
     * each of a thousand mails a second: another instance's pause takes hold within that and a query, this instance's
     * at once. The looking up is done on a thread of its own: asked by the SMTP sessions as each mail starts, the query
     * (a transaction of its own there) held every session of the batch while it ran.
     */
    public boolean pausedLately() {
        if (System.nanoTime() - seenAt > LOOK_EVERY_MILLIS * 1_000_000L && looking.compareAndSet(false, true)) {
            long turnsBefore = turns.get();
            try {
                looker.execute(() -> look(turnsBefore));
            } catch (RejectedExecutionException e) {
                // Shutting down: what was seen last stands.
                looking.set(false);
            }
        }
        return seenPaused;
    }

    private void look(long turnsBefore) {
        try {
            seenUnlessTurned(turnsBefore, state().paused());
        } catch (RuntimeException e) {
            Log.warnf("Could not look whether sending is paused: %s", e.getClass().getName());
        } finally {
            looking.set(false);
        }
    }

    /** What a lookup read, stored unless this instance turned the switch meanwhile: the turn is newer. */
    private synchronized boolean seenUnlessTurned(long turnsBefore, boolean paused) {
        return turns.get() == turnsBefore ? seen(paused) : seenPaused;
    }

    private boolean seen(boolean paused) {
        seenPaused = paused;
        seenAt = System.nanoTime();
        return paused;
    }

    public State pause() {
        return turn(true);
    }

    public State resume() {
        return turn(false);
    }

    /**
     * Turns the switch in a transaction of its own. The count of turns moves before the update and again after its
     * commit: a lookup that began in between read the old position, and must not store it over this one.
     */
    private State turn(boolean paused) {
        turns.incrementAndGet();
        Instant now = clock.instant();
        int turned = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "update sending_state set paused = ?1, changed_at = ?2 where id = 1 and paused <> ?1")
                .setParameter(1, paused).setParameter(2, now).executeUpdate());
        synchronized (this) {
            turns.incrementAndGet();
            seen(paused);
        }
        if (turned == 1) {
            Log.infof("Sending of reminders %s by an operator", paused ? "paused" : "resumed");
        }
        return state();
    }

    private static Instant instant(Object value) {
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        return value instanceof Timestamp timestamp ? timestamp.toInstant() : (Instant) value;
    }
}
