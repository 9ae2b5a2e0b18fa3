package org.optout.notifier.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import org.optout.notifier.infrastructure.SmtpServer;

/** Reads what the real SMTP server received for one address. */
final class Mailbox {

    static final Duration WAIT = Duration.ofSeconds(20);

    private Mailbox() {
    }

    static MimeMessage awaitOne(String address, String subjectPart) throws InterruptedException {
        List<MimeMessage> mails = SmtpServer.awaitMessages(address, SmtpServer.subjectContains(subjectPart), 1, WAIT);
        assertThat(mails).as("mail '%s' to %s", subjectPart, address).isNotEmpty();
        return mails.get(mails.size() - 1);
    }

    static List<MimeMessage> awaitCount(String address, String subjectPart, int count) throws InterruptedException {
        return SmtpServer.awaitMessages(address, SmtpServer.subjectContains(subjectPart), count, WAIT);
    }

    static List<MimeMessage> all(String address) throws InterruptedException {
        return SmtpServer.awaitMessages(address, m -> true, Integer.MAX_VALUE, Duration.ZERO);
    }

    /** The token of the first link to {@code /<path>/<token>} in the mail's text part. */
    static String linkToken(MimeMessage mail, String path) throws Exception {
        return SmtpServer.linkPath(mail, path).substring(path.length() + 2);
    }

    static String text(MimeMessage mail) throws Exception {
        return SmtpServer.text(mail);
    }
}
