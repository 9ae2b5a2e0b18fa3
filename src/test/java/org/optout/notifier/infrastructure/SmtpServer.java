package org.optout.notifier.infrastructure;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.optout.notifier.delivery.ReminderMailer;

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

    /**
     * How many times each reminder id arrived in a mail to an address starting with {@code recipientPrefix}, read from
     * the header every reminder mail carries.
     */
    public static Map<Long, Integer> reminderIdsReceived(String recipientPrefix) throws MessagingException {
        Map<Long, Integer> received = new HashMap<>();
        for (MimeMessage mail : shared().getReceivedMessages()) {
            String[] header = mail.getHeader(ReminderMailer.REMINDER_IDS_HEADER);
            if (header == null || !mail.getAllRecipients()[0].toString().startsWith(recipientPrefix)) {
                continue;
            }
            Arrays.stream(header[0].split(",")).map(String::strip).map(Long::valueOf)
                    .forEach(id -> received.merge(id, 1, Integer::sum));
        }
        return received;
    }

    /** Waits until {@code reminders} distinct reminder ids arrived to addresses starting with {@code prefix}. */
    public static void awaitReminders(String recipientPrefix, int reminders, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (reminderIdsReceived(recipientPrefix).size() < reminders) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(reminderIdsReceived(recipientPrefix).size() + " of " + reminders
                        + " reminders arrived within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    public static Predicate<MimeMessage> subjectContains(String text) {
        return message -> {
            try {
                return String.valueOf(message.getSubject()).contains(text);
            } catch (MessagingException e) {
                return false;
            }
        };
    }

    /** The text/plain part of a mail, however deeply nested (or its whole content when it has one part). */
    public static String text(MimeMessage mail) throws MessagingException, IOException {
        if (mail.getContent() instanceof Multipart) {
            BodyPart text = part(mail, "text/plain");
            return text == null ? "" : text.getContent().toString();
        }
        return mail.getContent().toString();
    }

    /** The first part of this type that is not an attachment, however deeply nested, or null. */
    public static BodyPart part(MimeMessage mail, String mimeType) throws MessagingException, IOException {
        return mail.getContent() instanceof Multipart multipart ? part(multipart, mimeType) : null;
    }

    private static BodyPart part(Multipart multipart, String mimeType) throws MessagingException, IOException {
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.isMimeType(mimeType) && part.getFileName() == null) {
                return part;
            }
            if (part.getContent() instanceof Multipart nested) {
                BodyPart found = part(nested, mimeType);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The path of the first link to {@code /<page>/<token>} in the mail's text, e.g. {@code /confirm/abc...}. */
    public static String linkPath(MimeMessage mail, String page) throws MessagingException, IOException {
        Matcher matcher = Pattern.compile("https?://[^/\\s]+(/" + page + "/[A-Za-z0-9_-]{20,})").matcher(text(mail));
        if (!matcher.find()) {
            throw new AssertionError("no link to /" + page + "/ in the mail");
        }
        return matcher.group(1);
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
