package org.optout.notifier.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.optout.notifier.config.NotifierConfig;

/**
 * Sends batches of mails over the mail client's pool of SMTP connections, several at a time: at most
 * {@code notifier.delivery.connections} in flight for the whole instance, however many batches send at once, each
 * start paced by {@link SendPace}, and each mail asked, with a fresh clock, whether it may still go just before it
 * starts (a pause, a deadline that passed while others were sent). Returns once every mail of the batch that started
 * was answered, or gave up after the send timeout.
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

    private final Function<EncodedMail, CompletableFuture<Void>> relay;
    private final Clock clock;
    private final SendPace pace;
    private final Semaphore connections;
    private final Duration timeout;

    @Inject
    MailSender(SmtpRelay relay, Clock clock, NotifierConfig config) {
        this(relay::send, clock, config.delivery().connections(), config.delivery().maxMailsPerSecond(),
                config.delivery().sendTimeout());
    }

    /** @param relay completes when the relay accepted the mail, exceptionally when it did not */
    MailSender(Function<EncodedMail, CompletableFuture<Void>> relay, Clock clock, int connections,
            double mailsPerSecond, Duration timeout) {
        this.relay = relay;
        this.clock = clock;
        this.pace = SendPace.perSecond(mailsPerSecond);
        this.connections = new Semaphore(connections);
        this.timeout = timeout;
    }

    /** The results in the order of the mails. */
    public <T> List<Sent<T>> send(List<Outgoing<T>> mails, Gate<T> gate) {
        List<CompletableFuture<Sent<T>>> results = new ArrayList<>(mails.size());
        for (Outgoing<T> mail : mails) {
            connections.acquireUninterruptibly();
            pace.awaitSlot();
            Instant now = clock.instant();
            String stop = gate.stop(mail.about(), now);
            if (stop != null) {
                connections.release();
                results.add(CompletableFuture.completedFuture(new Sent<>(mail.about(), now, Duration.ZERO, null, stop)));
            } else {
                results.add(start(mail, now));
            }
        }
        return results.stream().map(CompletableFuture::join).toList();
    }

    /** The connection is given back once, when the relay answers or the send timeout passes, whichever comes first. */
    private <T> CompletableFuture<Sent<T>> start(Outgoing<T> mail, Instant now) {
        long started = System.nanoTime();
        return relay.apply(mail.mail()).orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .handle((accepted, failure) -> {
                    connections.release();
                    SmtpFailure refused = failure == null ? null : SmtpFailure.of(failure);
                    return new Sent<>(mail.about(), now, since(started), refused, null);
                });
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
