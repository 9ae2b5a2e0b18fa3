package org.optout.notifier.delivery;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.InternetAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Jakarta Mail's SMTP session, sending messages already encoded for the wire: CRLF line ends, dot-stuffed
 * ({@link #dotStuffed}), ending in CRLF. The message goes to the socket's buffer as it is (Jakarta Mail's own data
 * stream looks at every byte twice and writes each line on its own, a tenth of the service's CPU at 3,500 mails a
 * second), and where the relay offers {@code PIPELINING} (RFC 2920) the envelope and {@code DATA} go in one write,
 * their replies read together: two round trips a mail instead of four. Connecting, {@code STARTTLS}, {@code AUTH},
 * reading replies and closing stay Jakarta Mail's; a refusal throws the exception Jakarta Mail throws for it, so
 * {@link SmtpFailure} sorts it the same way.
 * <p>
 * The session's buffered output is private to Jakarta Mail: it is read through a handle resolved once, and a version of
 * Angus Mail without it fails the first session, not a mail (the relay tests run on every build).
 */
final class WireTransport extends SMTPTransport {

    private static final VarHandle SERVER_OUTPUT = serverOutput();
    private static final byte[] END_OF_DATA = {'.', '\r', '\n'};

    WireTransport(Session session, boolean tls) {
        super(session, new URLName(tls ? "smtps" : "smtp", null, -1, null, null, null), tls ? "smtps" : "smtp", tls);
    }

    /** Returns when the relay accepted the message for the recipient; throws what it said otherwise. */
    synchronized void send(String envelopeFrom, String recipient, byte[] wire) throws MessagingException {
        checkConnected();
        String[] envelope = {"MAIL FROM:<" + envelopeFrom + ">", "RCPT TO:<" + recipient + ">", "DATA"};
        int[] codes = new int[envelope.length];
        String[] replies = new String[envelope.length];
        boolean pipelining = supportsExtension("PIPELINING");
        try {
            OutputStream out = (OutputStream) SERVER_OUTPUT.get(this);
            int answered = 0;
            for (int i = 0; i < envelope.length; i++) {
                out.write((envelope[i] + "\r\n").getBytes(StandardCharsets.US_ASCII));
                if (pipelining && i < envelope.length - 1) {
                    continue;
                }
                out.flush();
                for (; answered <= i; answered++) {
                    codes[answered] = readServerResponse();
                    replies[answered] = getLastServerResponse();
                }
                refused(envelope, codes, replies, answered, envelopeFrom, recipient);
            }
            out.write(wire);
            out.write(END_OF_DATA);
            out.flush();
        } catch (IOException e) {
            throw new MessagingException("IOException while sending message", e);
        }
        int code = readServerResponse();
        if (code != 250) {
            throw new SMTPSendFailedException(".", code, getLastServerResponse(), null, null, null, null);
        }
    }

    /** Throws for the first of the answered commands the relay refused, as Jakarta Mail would have. */
    private static void refused(String[] envelope, int[] codes, String[] replies, int answered, String envelopeFrom,
            String recipient) throws MessagingException {
        if (codes[0] != 250) {
            throw new SMTPSenderFailedException(address(envelopeFrom), envelope[0], codes[0], replies[0]);
        }
        if (answered > 1 && codes[1] != 250 && codes[1] != 251) {
            throw new SMTPAddressFailedException(address(recipient), envelope[1], codes[1], replies[1]);
        }
        if (answered > 2 && codes[2] != 354) {
            throw new SMTPSendFailedException(envelope[2], codes[2], replies[2], null, null, null, null);
        }
    }

    private static InternetAddress address(String address) {
        InternetAddress internet = new InternetAddress();
        internet.setAddress(address);
        return internet;
    }

    /**
     * The message with every line that starts with a dot given another (RFC 5321, 4.5.2) and a CRLF at its end; the
     * same array when there is nothing to change, as in nearly every mail.
     */
    static byte[] dotStuffed(byte[] message) {
        boolean endsWithCrlf = message.length >= 2 && message[message.length - 2] == '\r'
                && message[message.length - 1] == '\n';
        int dots = 0;
        for (int i = 0; i < message.length; i++) {
            if (message[i] == '.' && (i == 0 || message[i - 1] == '\n')) {
                dots++;
            }
        }
        if (dots == 0 && endsWithCrlf) {
            return message;
        }
        ByteArrayOutputStream stuffed = new ByteArrayOutputStream(message.length + dots + 2);
        int start = 0;
        for (int i = 0; i < message.length; i++) {
            if (message[i] == '.' && (i == 0 || message[i - 1] == '\n')) {
                stuffed.write(message, start, i - start);
                stuffed.write('.');
                start = i;
            }
        }
        stuffed.write(message, start, message.length - start);
        if (!endsWithCrlf) {
            stuffed.writeBytes(new byte[] {'\r', '\n'});
        }
        return stuffed.toByteArray();
    }

    private static VarHandle serverOutput() {
        try {
            return MethodHandles.privateLookupIn(SMTPTransport.class, MethodHandles.lookup())
                    .findVarHandle(SMTPTransport.class, "serverOutput", OutputStream.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("This Angus Mail's SMTPTransport has no serverOutput to write a message "
                    + "to as it is: WireTransport needs to follow it", e);
        }
    }
}
