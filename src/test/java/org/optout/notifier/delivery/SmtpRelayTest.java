package org.optout.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.mailer.Mail;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.optout.notifier.infrastructure.SmtpFaults;
import org.optout.notifier.infrastructure.SmtpServer;

/**
 * Mails encoded here reach a real SMTP server whole, one after another over the same sessions, from the configured
 * sender; a refusal fails the send with what the relay said, sorted by {@link SmtpFailure}.
 */
@QuarkusTest
class SmtpRelayTest {

    @Inject
    SmtpRelay relay;

    @Inject
    MimeWriter writer;

    @Test
    void aMailArrivesWholeWithItsHeadersPartsAndAttachment() throws Exception {
        String reader = "relay-" + UUID.randomUUID() + "@example.org";
        byte[] calendar = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".getBytes(StandardCharsets.US_ASCII);
        Mail mail = Mail.withText(reader, "Act by 1 Jan: Zürich", "text, grüezi\n.a line starting with a dot")
                .setHtml("<p>html</p>")
                .addHeader("List-Unsubscribe", "<https://optout.example.org/unsubscribe/t>")
                .addHeader("Message-ID", "<reminders-7@optout-notifier>").setReplyTo("support@optout.example.org")
                .addAttachment("opt-out-deadlines.ics", calendar, "text/calendar; method=PUBLISH");

        relay.send(writer.encode(mail));

        MimeMessage received = SmtpServer.awaitMessages(reader, message -> true, 1, Duration.ofSeconds(10)).get(0);
        assertThat(received.getFrom()[0].toString()).isEqualTo("optout-notifier <noreply@optout-notifier.localhost>");
        assertThat(received.getSubject()).isEqualTo("Act by 1 Jan: Zürich");
        assertThat(received.getMessageID()).isEqualTo("<reminders-7@optout-notifier>");
        assertThat(received.getHeader("List-Unsubscribe")).containsExactly("<https://optout.example.org/unsubscribe/t>");
        assertThat(received.getReplyTo()[0].toString()).isEqualTo("support@optout.example.org");
        assertThat(received.getSentDate()).isNotNull();
        assertThat(SmtpServer.text(received).replace("\r\n", "\n"))
                .isEqualTo("text, grüezi\n.a line starting with a dot");
        assertThat(SmtpServer.part(received, "text/html").getContent().toString()).isEqualTo("<p>html</p>");
        BodyPart attachment = ((Multipart) received.getContent()).getBodyPart(1);
        assertThat(attachment.getFileName()).isEqualTo("opt-out-deadlines.ics");
        assertThat(attachment.getInputStream().readAllBytes()).isEqualTo(calendar);
    }

    @Test
    void manyMailsGoOverTheSessionsOneAfterAnother() throws Exception {
        String prefix = "relay-many-" + UUID.randomUUID();
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<Future<Object>> sent = IntStream.range(0, 20).mapToObj(i -> threads.submit(() -> {
                relay.send(writer.encode(Mail.withText(prefix + "-" + i + "@example.org", "n" + i, "mail " + i)));
                return null;
            })).toList();
            for (Future<Object> future : sent) {
                future.get(10, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(SmtpServer.awaitMessages(prefix, message -> true, 20, Duration.ofSeconds(10))).hasSize(20);
    }

    @Test
    void aRefusalFailsTheSendWithTheRelaysVerdict() throws Exception {
        String bouncing = SmtpFaults.BOUNCING_PREFIX + UUID.randomUUID() + "@example.org";

        assertThatThrownBy(() -> relay.send(writer.encode(Mail.withText(bouncing, "s", "t"))))
                .isInstanceOf(MessagingException.class)
                .satisfies(failure -> assertThat(SmtpFailure.of(failure)).extracting(SmtpFailure::verdict,
                        SmtpFailure::stage, SmtpFailure::reason).containsExactly(SmtpFailure.Verdict.MAILBOX,
                        SmtpFailure.Stage.RCPT_TO, "SMTP 550 5.1.1 at RCPT_TO"));
        // The session closed after the refusal; the next mail opens another.
        String reader = "relay-after-" + UUID.randomUUID() + "@example.org";
        relay.send(writer.encode(Mail.withText(reader, "s", "t")));
        assertThat(SmtpServer.awaitMessages(reader, message -> true, 1, Duration.ofSeconds(10))).hasSize(1);
    }
}
