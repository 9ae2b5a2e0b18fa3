package org.optout.notifier.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.optout.notifier.infrastructure.SmtpServer;

/** Reads what the real SMTP server received for one address. */
final class Mailbox {

    static final Duration WAIT = Duration.ofSeconds(20);

    private Mailbox() {
    }

    static MimeMessage awaitOne(String address, String subjectPart) throws InterruptedException {
        List<MimeMessage> mails = SmtpServer.awaitMessages(address, m -> subject(m).contains(subjectPart), 1, WAIT);
        assertThat(mails).as("mail '%s' to %s", subjectPart, address).isNotEmpty();
        return mails.get(mails.size() - 1);
    }

    static List<MimeMessage> awaitCount(String address, String subjectPart, int count) throws InterruptedException {
        return SmtpServer.awaitMessages(address, m -> subject(m).contains(subjectPart), count, WAIT);
    }

    static List<MimeMessage> all(String address) throws InterruptedException {
        return SmtpServer.awaitMessages(address, m -> true, Integer.MAX_VALUE, Duration.ZERO);
    }

    /** The token of the first link to {@code /<path>/<token>} in the mail's text part. */
    static String linkToken(MimeMessage mail, String path) throws Exception {
        Matcher matcher = Pattern.compile("/" + path + "/([A-Za-z0-9_-]{20,})").matcher(text(mail));
        assertThat(matcher.find()).as("link to /%s/ in the mail", path).isTrue();
        return matcher.group(1);
    }

    static String text(MimeMessage mail) throws MessagingException, IOException {
        Object content = mail.getContent();
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                if (part.isMimeType("text/plain")) {
                    return part.getContent().toString();
                }
            }
        }
        return content.toString();
    }

    static String subject(MimeMessage mail) {
        try {
            return String.valueOf(mail.getSubject());
        } catch (MessagingException e) {
            return "";
        }
    }
}
