package org.optout.notifier.delivery;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Jakarta Mail's SMTP session, which writes the message of a {@code DATA} command as it is: the caller hands it over
 * with CRLF line ends, dot-stuffed ({@link #dotStuffed}), ending in CRLF. Jakarta Mail's own data stream looks at every
 * byte twice (line ends, then leading dots) and writes each line on its own, a tenth of the service's CPU at 3,500
 * mails a second, for messages that are already in that form. Connecting, {@code STARTTLS}, {@code AUTH}, the
 * envelope, the replies and their errors stay Jakarta Mail's.
 * <p>
 * The session's buffered output is private to Jakarta Mail: it is read through a handle resolved once, and a version of
 * Angus Mail without it fails the first session, not a mail (the relay tests run on every build).
 */
final class WireTransport extends SMTPTransport {

    private static final VarHandle SERVER_OUTPUT = serverOutput();

    WireTransport(Session session, boolean tls) {
        super(session, new URLName(tls ? "smtps" : "smtp", null, -1, null, null, null), tls ? "smtps" : "smtp", tls);
    }

    /** Issues {@code DATA} as Jakarta Mail does, then lets the message go to the socket's buffer untouched. */
    @Override
    protected OutputStream data() throws MessagingException {
        super.data();
        return (OutputStream) SERVER_OUTPUT.get(this);
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
