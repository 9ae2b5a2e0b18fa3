package org.optout.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.mailer.Mail;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.MailResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The message handed to the mail client is the one Quarkus's mailer would have built: the configured sender and bounce
 * address unless the mail has its own, every header, the reply-to, the attachments with their bytes; and the relay's
 * answer completes the future either way.
 */
class SmtpRelayTest {

    /** Keeps what it is given and answers as told. */
    private static final class RecordingClient implements MailClient {
        final List<MailMessage> messages = new ArrayList<>();
        Throwable refusal;

        @Override
        public MailClient sendMail(MailMessage message, Handler<AsyncResult<MailResult>> handler) {
            messages.add(message);
            handler.handle(refusal == null ? Future.succeededFuture(new MailResult()) : Future.failedFuture(refusal));
            return this;
        }

        @Override
        public void close(Handler<AsyncResult<Void>> handler) {
            handler.handle(Future.succeededFuture());
        }
    }

    private final RecordingClient client = new RecordingClient();
    private final SmtpRelay relay = new SmtpRelay(client, "optout-notifier <noreply@optout.example.org>",
            Optional.of("bounces@optout.example.org"));

    @Test
    void buildsTheMessageAsTheMailerWouldWithTheConfiguredSenderAndBounceAddress() {
        byte[] calendar = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".getBytes(StandardCharsets.US_ASCII);
        Mail mail = Mail.withText("reader@example.org", "Act by 1 Jan", "text").setHtml("<p>html</p>")
                .addHeader("List-Unsubscribe", "<https://optout.example.org/unsubscribe/t>")
                .addHeader("Message-ID", "<reminders-7@optout-notifier>").setReplyTo("support@optout.example.org")
                .addAttachment("opt-out-deadlines.ics", calendar, "text/calendar; method=PUBLISH")
                .addInlineAttachment("logo.png", new byte[] {1, 2, 3}, "image/png", "<logo>");

        CompletableFuture<Void> answer = relay.send(mail);

        assertThat(answer).isCompleted().isNotCompletedExceptionally();
        MailMessage message = client.messages.get(0);
        assertThat(message.getFrom()).isEqualTo("optout-notifier <noreply@optout.example.org>");
        assertThat(message.getBounceAddress()).isEqualTo("bounces@optout.example.org");
        assertThat(message.getTo()).containsExactly("reader@example.org");
        assertThat(message.getSubject()).isEqualTo("Act by 1 Jan");
        assertThat(message.getText()).isEqualTo("text");
        assertThat(message.getHtml()).isEqualTo("<p>html</p>");
        assertThat(message.getHeaders().get("list-unsubscribe")).isEqualTo("<https://optout.example.org/unsubscribe/t>");
        assertThat(message.getHeaders().get("Message-ID")).isEqualTo("<reminders-7@optout-notifier>");
        assertThat(message.getHeaders().get("Reply-To")).isEqualTo("support@optout.example.org");
        MailAttachment ics = message.getAttachment().get(0);
        assertThat(ics.getName()).isEqualTo("opt-out-deadlines.ics");
        assertThat(ics.getContentType()).isEqualTo("text/calendar; method=PUBLISH");
        assertThat(ics.getData().getBytes()).isEqualTo(calendar);
        MailAttachment logo = message.getInlineAttachment().get(0);
        assertThat(logo.getContentId()).isEqualTo("<logo>");
        assertThat(logo.getData().getBytes()).containsExactly(1, 2, 3);
    }

    @Test
    void aMailOfItsOwnSenderKeepsIt() {
        relay.send(Mail.withText("reader@example.org", "s", "t").setFrom("other@example.org")
                .setBounceAddress("other-bounces@example.org"));

        assertThat(client.messages.get(0).getFrom()).isEqualTo("other@example.org");
        assertThat(client.messages.get(0).getBounceAddress()).isEqualTo("other-bounces@example.org");
    }

    @Test
    void aRefusalCompletesTheAnswerExceptionally() {
        client.refusal = new IllegalStateException("550 5.1.1 no such user");

        CompletableFuture<Void> answer = relay.send(Mail.withText("refused@example.org", "s", "t"));

        assertThatThrownBy(answer::join).hasCause(client.refusal);
    }
}
