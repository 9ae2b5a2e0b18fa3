package org.optout.notifier.infrastructure;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A relay in front of the shared SMTP server that passes every session through and, on demand, answers like a relay
 * in trouble: {@link #refuseAll} answers {@code MAIL FROM} with 451 (try again later) until switched off; recipients
 * whose mailbox starts with {@link #BOUNCING_PREFIX} get 550 (no such mailbox) at {@code RCPT TO}. The service's
 * mailer always talks to this relay in tests, so any test can switch faults on without another application start.
 */
public final class SmtpFaults {

    /** Mailboxes starting with this do not exist: their {@code RCPT TO} is refused permanently. */
    public static final String BOUNCING_PREFIX = "bouncing-";

    private static final AtomicBoolean REFUSING = new AtomicBoolean();
    private static SmtpFaults shared;

    private final ServerSocket listener;
    private final int upstreamPort;

    private SmtpFaults(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(this::accept, "smtp-faults");
        accepting.setDaemon(true);
        accepting.start();
    }

    public static synchronized int sharedPort() {
        if (shared == null) {
            try {
                shared = new SmtpFaults(SmtpServer.sharedPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared.listener.getLocalPort();
    }

    /** While on, every new mail is refused with 451 4.3.0. */
    public static void refuseAll(boolean refusing) {
        REFUSING.set(refusing);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                Thread relay = new Thread(() -> relay(client, upstream), "smtp-faults-session");
                relay.setDaemon(true);
                relay.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void relay(Socket client, Socket upstream) {
        try (client; upstream) {
            OutputStream toClient = client.getOutputStream();
            Replies replies = new Replies();
            Thread replying = new Thread(() -> {
                replies.copy(upstream, toClient);
                // A server closes the session after QUIT; the client waits for that before it frees its pooled slot.
                closeQuietly(client);
            }, "smtp-faults-replies");
            replying.setDaemon(true);
            replying.start();
            InputStream fromClient = new BufferedInputStream(client.getInputStream());
            OutputStream toUpstream = upstream.getOutputStream();
            boolean inData = false;
            byte[] line;
            while ((line = readLine(fromClient)) != null) {
                String command = new String(line, StandardCharsets.US_ASCII).strip().toUpperCase(Locale.ROOT);
                String refusal = inData ? null : refusal(command);
                if (refusal != null) {
                    replies.answerInTurn(refusal, toClient);
                    continue;
                }
                if (!inData || command.equals(".")) {
                    replies.expectOne();
                }
                toUpstream.write(line);
                toUpstream.flush();
                if (inData && command.equals(".")) {
                    inData = false;
                } else if (!inData && command.equals("DATA")) {
                    inData = true;
                }
            }
        } catch (IOException | InterruptedException e) {
            // The session ended.
        }
    }

    /**
     * The upstream server's replies on their way to the client. A refusal is written only once every command sent
     * before it has its reply, so the client never reads the refusal as the answer to an earlier command.
     */
    private static final class Replies {

        /** The greeting is the first reply expected. */
        private int pending = 1;

        synchronized void expectOne() {
            pending++;
        }

        synchronized void answerInTurn(String refusal, OutputStream toClient) throws IOException, InterruptedException {
            while (pending > 0) {
                wait();
            }
            toClient.write((refusal + "\r\n").getBytes(StandardCharsets.US_ASCII));
            toClient.flush();
        }

        void copy(Socket from, OutputStream to) {
            try {
                InputStream in = new BufferedInputStream(from.getInputStream());
                byte[] line;
                while ((line = readLine(in)) != null) {
                    synchronized (this) {
                        to.write(line);
                        to.flush();
                        // "250-" continues a reply, "250 " ends it.
                        if (line.length > 3 && line[3] == ' ') {
                            pending--;
                            notifyAll();
                        }
                    }
                }
            } catch (IOException e) {
                // The session ended.
            }
        }
    }

    private static String refusal(String command) {
        if (command.startsWith("MAIL FROM") && REFUSING.get()) {
            return "451 4.3.0 Relay busy, try again later";
        }
        if (command.startsWith("RCPT TO") && command.contains("<" + BOUNCING_PREFIX.toUpperCase(Locale.ROOT))) {
            return "550 5.1.1 No such mailbox";
        }
        return null;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed.
        }
    }

    /** One line with its CRLF, or null at the end of the stream. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                return line.toByteArray();
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }
}
