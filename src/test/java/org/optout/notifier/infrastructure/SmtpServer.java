package org.optout.notifier.infrastructure;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * A real SMTP server (GreenMail) in this JVM, started once and shared by every test, whose received messages the tests
 * read.
 */
public final class SmtpServer {

    private static GreenMail shared;

    private SmtpServer() {
    }

    public static synchronized GreenMail shared() {
        if (shared == null) {
            shared = start(0);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "smtp-server-shutdown"));
        }
        return shared;
    }

    public static int sharedPort() {
        return shared().getSmtp().getPort();
    }

    /** Waits until a received message is addressed to {@code recipient} and matches {@code filter}. */
    public static List<MimeMessage> awaitMessages(String recipient, Predicate<MimeMessage> filter, int count,
            Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<MimeMessage> matching = Arrays.stream(shared().getReceivedMessages())
                    .filter(message -> isAddressedTo(message, recipient))
                    .filter(filter)
                    .toList();
            if (matching.size() >= count || !Instant.now().isBefore(deadline)) {
                return matching;
            }
            Thread.sleep(100);
        }
    }

    static GreenMail start(int port) {
        ServerSetup smtp = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        GreenMail greenMail = new GreenMail(port == 0 ? smtp.dynamicPort() : smtp);
        greenMail.start();
        return greenMail;
    }

    private static boolean isAddressedTo(MimeMessage message, String recipient) {
        try {
            Address[] to = message.getAllRecipients();
            return to != null && Arrays.stream(to).anyMatch(address -> address.toString().contains(recipient));
        } catch (MessagingException e) {
            return false;
        }
    }
}
