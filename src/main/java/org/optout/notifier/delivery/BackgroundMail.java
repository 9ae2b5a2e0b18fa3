package org.optout.notifier.delivery;

import io.quarkus.logging.Log;
import io.quarkus.mailer.MailTemplate.MailTemplateInstance;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.optout.notifier.config.NotifierConfig;

/**
 * Sends best-effort mails (notices, welcome) on a thread of its own, after the caller's transaction. Never from the
 * caller's thread: the Kafka consumer and HTTP threads hold a Vert.x context, and the mail client's blocking work
 * queued behind such a context can wait forever while that context stays busy.
 */
@ApplicationScoped
public class BackgroundMail {

    private final Duration sendTimeout;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(
            runnable -> new Thread(runnable, "background-mail"));

    BackgroundMail(NotifierConfig config) {
        this.sendTimeout = config.delivery().sendTimeout();
    }

    /**
     * Builds and sends a mail on the background thread: the template instance too is made there, so that nothing of
     * the caller's context travels with it. A failure is logged with {@code what}, since the state it reports is
     * already committed.
     */
    public void send(Supplier<MailTemplateInstance> mail, String what) {
        sender.execute(() -> {
            try {
                mail.get().send().await().atMost(sendTimeout);
                Log.infof("%s sent", what);
            } catch (RuntimeException e) {
                Log.warnf("%s not sent: %s", what, e.getMessage());
            }
        });
    }

    @PreDestroy
    void stop() {
        sender.shutdown();
    }
}
