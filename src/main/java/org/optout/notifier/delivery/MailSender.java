package org.optout.notifier.delivery;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.InvalidTransactionException;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
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
    public record Outgoing<T>(T about, Mail mail) {
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

    private final ReactiveMailer mailer;
    private final TransactionManager transactions;
    private final Clock clock;
    private final SendPace pace;
    private final Semaphore connections;
    private final Duration timeout;

    @Inject
    MailSender(ReactiveMailer mailer, TransactionManager transactions, Clock clock, NotifierConfig config) {
        this(mailer, transactions, clock, config.delivery().connections(), config.delivery().maxMailsPerSecond(),
                config.delivery().sendTimeout());
    }

    /** @param transactions null where there are none (unit tests) */
    MailSender(ReactiveMailer mailer, TransactionManager transactions, Clock clock, int connections,
            double mailsPerSecond, Duration timeout) {
        this.mailer = mailer;
        this.transactions = transactions;
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

    /**
     * Outside the caller's transaction: context propagation would carry it into the mail client's callbacks on the
     * event loop, and a transaction committed while another thread is active in it fails.
     */
    private <T> CompletableFuture<Sent<T>> start(Outgoing<T> mail, Instant now) {
        Transaction caller = suspend();
        try {
            return subscribe(mail, now);
        } finally {
            resume(caller);
        }
    }

    private <T> CompletableFuture<Sent<T>> subscribe(Outgoing<T> mail, Instant now) {
        long started = System.nanoTime();
        CompletableFuture<Sent<T>> result = new CompletableFuture<>();
        mailer.send(mail.mail()).ifNoItem().after(timeout).fail().subscribe().with(
                accepted -> {
                    connections.release();
                    result.complete(new Sent<>(mail.about(), now, since(started), null, null));
                },
                failure -> {
                    connections.release();
                    result.complete(new Sent<>(mail.about(), now, since(started), SmtpFailure.of(failure), null));
                });
        return result;
    }

    private Transaction suspend() {
        try {
            return transactions == null ? null : transactions.suspend();
        } catch (SystemException e) {
            throw new IllegalStateException("The transaction could not be suspended", e);
        }
    }

    private void resume(Transaction caller) {
        if (caller == null) {
            return;
        }
        try {
            transactions.resume(caller);
        } catch (InvalidTransactionException | SystemException e) {
            throw new IllegalStateException("The transaction could not be resumed", e);
        }
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
