package org.optout.notifier.delivery;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.optout.notifier.config.NotifierConfig;

/**
 * Sends batches of mails over {@code notifier.delivery.connections} SMTP sessions, each on a thread of its own that
 * takes the batch's next mail as soon as it is done with one: the sessions are what is in flight for the whole
 * instance, however many batches send at once. Each start is paced by {@link SendPace} (this replica's share of the
 * relay's quota, {@link SendingBudget}), and each mail asked, with a fresh clock, whether it may still go just before
 * it starts (a pause, a deadline that passed while others were sent).
 * Returns once every mail of the batch that started was answered; the relay's timeouts bound each answer.
 * <p>
 * The sessions take their mails themselves: when a batch's thread handed each mail to a session and waited for a free
 * one, every mail cost two thread wake-ups besides its SMTP round trips, and on a busy machine each wake-up waits for a
 * core (sending took five times as long per mail as a plain client's).
 */
@ApplicationScoped
public class MailSender {

    /** A mail and what it is about, for the caller to record its result on. */
    public record Outgoing<T>(T about, EncodedMail mail) {
    }

    /**
     * What became of a mail: never started ({@code notStarted} says why), accepted, or refused ({@code failure}).
     * {@code startedAt} is the clock when it started, or when it was stopped.
     */
    public record Sent<T>(T about, Instant startedAt, Duration took, SmtpFailure failure, String notStarted) {

        public boolean accepted() {
            return notStarted == null && failure == null;
        }
    }

    /** Asked as a mail is about to start: the reason it must not, or null to let it go. */
    public interface Gate<T> {
        String stop(T about, Instant now);
    }

    /** Hands a mail to the relay and returns when it accepted it; throws why not. */
    public interface Relay {
        void send(EncodedMail mail) throws Exception;
    }

    private final Relay relay;
    private final Clock clock;
    private final SendPace pace;
    private final int connections;
    private final ExecutorService sessions;

    @Inject
    MailSender(SmtpRelay relay, Clock clock, NotifierConfig config, SendingBudget budget) {
        this(relay::send, clock, config.delivery().connections(), budget.pace());
    }

    MailSender(Relay relay, Clock clock, int connections, double mailsPerSecond) {
        this(relay, clock, connections, SendPace.perSecond(mailsPerSecond));
    }

    private MailSender(Relay relay, Clock clock, int connections, SendPace pace) {
        this.relay = relay;
        this.clock = clock;
        this.pace = pace;
        this.connections = connections;
        this.sessions = Executors.newFixedThreadPool(connections, runnable -> {
            Thread thread = new Thread(runnable, "smtp-session");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The results in the order of the mails. */
    public <T> List<Sent<T>> send(List<Outgoing<T>> mails, Gate<T> gate) {
        Batch<T> batch = new Batch<>(mails, gate);
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < Math.min(connections, mails.size()); i++) {
            workers.add(sessions.submit(batch::sendAll));
        }
        for (Future<?> worker : workers) {
            try {
                worker.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while sending", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("A session stopped sending", e.getCause());
            }
        }
        return Arrays.asList(batch.results);
    }

    @PreDestroy
    void stop() {
        sessions.shutdownNow();
    }

    /** A mail of a batch, by its place, and when it started. */
    private record Start(int index, Instant at) {
    }

    /**
     * One batch's mails, taken in order by the sessions. Taking a mail, its pace slot and the gate's answer are one
     * step (a mail is asked only once those before it were, so a stop holds for every mail after it); sending is not.
     */
    private final class Batch<T> {
        private final List<Outgoing<T>> mails;
        private final Gate<T> gate;
        private final Sent<T>[] results;
        private int next;

        @SuppressWarnings("unchecked")
        Batch(List<Outgoing<T>> mails, Gate<T> gate) {
            this.mails = mails;
            this.gate = gate;
            this.results = new Sent[mails.size()];
        }

        void sendAll() {
            Start start;
            while ((start = take()) != null) {
                T about = mails.get(start.index()).about();
                long started = System.nanoTime();
                try {
                    relay.send(mails.get(start.index()).mail());
                    results[start.index()] = new Sent<>(about, start.at(), since(started), null, null);
                } catch (Exception e) {
                    results[start.index()] = new Sent<>(about, start.at(), since(started), SmtpFailure.of(e), null);
                }
            }
        }

        /** The next mail allowed to start, or null when none is left; mails the gate stops are answered here. */
        private synchronized Start take() {
            while (next < mails.size()) {
                int index = next++;
                pace.awaitSlot();
                Instant now = clock.instant();
                String stop = gate.stop(mails.get(index).about(), now);
                if (stop == null) {
                    return new Start(index, now);
                }
                results[index] = new Sent<>(mails.get(index).about(), now, Duration.ZERO, null, stop);
            }
            return null;
        }
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
