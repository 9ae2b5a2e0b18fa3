package org.optout.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.mailer.Mail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.optout.notifier.infrastructure.Fixtures;
import org.optout.notifier.infrastructure.SmtpServer;
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.subscription.Subscription;
import org.optout.notifier.subscription.SubscriptionLinks;
import org.optout.notifier.subscription.SubscriptionStatus;
import org.optout.notifier.subscription.Tokens;

/**
 * Reminders are rendered once per language, changes and last day, and each mail still carries its reader's own
 * links: manage, unsubscribe (in the text, the HTML and the List-Unsubscribe header) and "I have already opted out";
 * and the message encoded from the rendering's template for the relay says exactly what that mail says.
 */
@QuarkusTest
class ReminderRenderingTest {

    @Inject
    ReminderMailer mailer;

    @Inject
    SubscriptionLinks links;

    @Inject
    Tokens tokens;

    /** Readers in Hong Kong on LinkedIn would otherwise be mailed about later tests' changes. */
    @AfterEach
    void cleanUp() {
        QuarkusTransaction.requiringNew().run(() -> Subscription.delete("email like ?1", "render-%"));
    }

    @Test
    void mailsFromOneRenderingCarryEachReadersOwnLinksAcrossLanguagesAndDigests() throws Exception {
        String first = "render-a-" + UUID.randomUUID();
        String second = "render-b-" + UUID.randomUUID();
        LocalDate effective = LocalDate.now().plusDays(30);
        Fixtures.linkedInChange(first, "LinkedIn trains AI", effective, List.of("HK"), false);
        Fixtures.linkedInChange(second, "LinkedIn shares data", effective.plusDays(3), List.of("HK"), false);
        List<PolicyChange> changes = QuarkusTransaction.requiringNew().call(() -> List.of(
                PolicyChange.findByChangeId(first).orElseThrow(), PolicyChange.findByChangeId(second).orElseThrow()));

        for (String language : List.of("en", "zh-HK")) {
            List<Subscription> readers = List.of(reader(language), reader(language), reader(language));
            for (List<PolicyChange> mailed : List.of(changes.subList(0, 1), changes)) {
                for (Subscription reader : readers) {
                    List<ReminderMailer.Item> items = mailed.stream()
                            .map(change -> new ReminderMailer.Item(reader.id * 10 + mailed.indexOf(change), change))
                            .toList();
                    Mail mail = mailer.mail(reader.subscriber(), items);
                    assertOwnLinks(mail, reader, readers, mailed);
                    assertEncodedAsTheMail(mailer.message(reader.subscriber(), items), mail, reader);
                }
            }
        }
    }

    private void assertOwnLinks(Mail mail, Subscription reader, List<Subscription> readers,
            List<PolicyChange> mailed) {
        assertThat(mail.getTo()).containsExactly(reader.email);
        assertThat(mail.getHeaders().get("List-Unsubscribe")).containsExactly("<" + links.unsubscribe(reader) + ">");
        for (String part : List.of(mail.getText(), mail.getHtml())) {
            assertThat(part).contains(links.manage(reader)).contains(links.unsubscribe(reader))
                    .doesNotContain("zzOptout");
            String optedOut = links.unsubscribe(reader).replace("/unsubscribe/", "/opted-out/") + "/";
            mailed.forEach(change -> assertThat(part).contains(optedOut + change.changeId));
            for (Subscription other : readers) {
                if (other != reader) {
                    assertThat(part).doesNotContain(links.manage(other)).doesNotContain(links.unsubscribe(other));
                }
            }
        }
        assertThat(mail.getSubject()).isNotBlank();
        assertThat(mail.getHtml().chars()).as("HTML sent as it is, not encoded per mail").allMatch(c -> c < 0x80);
        assertThat(mail.getAttachments()).hasSize(1);
    }

    /** The encoded message, filled in from the rendering's template, says what the mail says. */
    private static void assertEncodedAsTheMail(EncodedMail encoded, Mail mail, Subscription reader) throws Exception {
        assertThat(encoded.recipient()).isEqualTo(reader.email);
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(encoded.message()));
        assertThat(new String(encoded.message(), StandardCharsets.US_ASCII)).doesNotContain("zzOptout");
        assertThat(message.getHeader("To")).containsExactly(reader.email);
        assertThat(message.getSubject()).isEqualTo(mail.getSubject());
        assertThat(message.getSentDate()).isNotNull();
        for (String header : List.of("List-Unsubscribe", "List-Unsubscribe-Post", "Message-ID",
                ReminderMailer.REMINDER_IDS_HEADER)) {
            assertThat(message.getHeader(header)).as(header).containsExactlyElementsOf(mail.getHeaders().get(header));
        }
        assertThat(SmtpServer.text(message).replace("\r\n", "\n")).isEqualTo(mail.getText());
        assertThat(SmtpServer.part(message, "text/html").getContent().toString().replace("\r\n", "\n"))
                .isEqualTo(mail.getHtml());
        BodyPart calendar = ((Multipart) message.getContent()).getBodyPart(1);
        assertThat(calendar.getFileName()).isEqualTo(DeadlineCalendar.FILE_NAME);
        assertThat(calendar.getInputStream().readAllBytes()).isNotEmpty();
    }

    private Subscription reader(String language) {
        String email = "render-" + UUID.randomUUID() + "@example.org";
        long id = Fixtures.subscriber(tokens, null, email, "HK", "Asia/Hong_Kong", 9, language,
                SubscriptionStatus.ACTIVE, "linkedin");
        return QuarkusTransaction.requiringNew().call(() -> Subscription.<Subscription>findById(id));
    }
}
