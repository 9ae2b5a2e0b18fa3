package org.optout.notifier.infrastructure;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A relay in front of the shared SMTP server (GreenMail) that answers like a relay in trouble when a test asks it to:
 * per stage of the dialogue (connect, {@code MAIL FROM}, {@code RCPT TO}, end of {@code DATA}) and per recipient, a
 * reply of the test's choosing (4xx, 5xx with or without an enhanced code), a dropped connection or a stall; or no
 * listener at all (connection refused). A mail that meets no fault is passed on whole to the SMTP server, once the
 * client has sent all of it, so that a mail refused at the end of {@code DATA} never arrives there. The service's
 * mailer always talks to this relay in tests, so any test can switch faults on without another application start.
 * Recipients whose mailbox starts with {@link #BOUNCING_PREFIX} always get {@code 550 5.1.1} at {@code RCPT TO}.
 */
public final class SmtpFaults {

    /** Mailboxes starting with this do not exist: their {@code RCPT TO} is refused permanently. */
    public static final String BOUNCING_PREFIX = "bouncing-";

    /** Where in the dialogue a fault strikes. */
    public enum Stage {
        CONNECT, MAIL_FROM, RCPT_TO, DATA_END
    }

    /** What the relay does instead of going on: a reply line, dropping the connection, or waiting first. */
    public record Fault(String reply, boolean drops, Duration stall) {

        public static Fault reply(String reply) {
            return new Fault(reply, false, Duration.ZERO);
        }

        public static Fault disconnect() {
            return new Fault(null, true, Duration.ZERO);
        }

        /** Waits this long, then goes on as if nothing happened. */
        public static Fault stall(Duration stall) {
            return new Fault(null, false, stall);
        }
    }

    /** A fault at a stage for recipients starting with a prefix (null: everyone), for a number of times. */
    private record Rule(Stage stage, String recipientPrefix, Fault fault, AtomicInteger remaining) {

        boolean matches(Stage at, List<String> recipients) {
            return stage == at && (recipientPrefix == null || recipients.stream()
                    .anyMatch(r -> r.startsWith(recipientPrefix.toLowerCase(Locale.ROOT))));
        }

        boolean take() {
            return remaining.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0;
        }
    }

    private static final Rule NO_SUCH_MAILBOX = new Rule(Stage.RCPT_TO, BOUNCING_PREFIX,
            Fault.reply("550 5.1.1 No such mailbox"), new AtomicInteger(Integer.MAX_VALUE));
    private static final List<Rule> RULES = new CopyOnWriteArrayList<>();
    private static final Fault BUSY = Fault.reply("451 4.3.0 Relay busy, try again later");
    private static final Semaphore STALLS = new Semaphore(0);
    private static final Set<Socket> SESSIONS = ConcurrentHashMap.newKeySet();
    private static final Duration GREETING_DELAY = Duration.ofMillis(20);
    private static SmtpFaults shared;

    private final int upstreamPort;
    private final int port;
    private volatile ServerSocket listener;

    private SmtpFaults(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = listen(0);
        this.port = listener.getLocalPort();
    }

    public static synchronized int sharedPort() {
        return relay().port;
    }

    private static synchronized SmtpFaults relay() {
        if (shared == null) {
            try {
                shared = new SmtpFaults(SmtpServer.sharedPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** A fault every time the stage is reached for a matching recipient (null: anyone), until {@link #clear()}. */
    public static void always(Stage stage, String recipientPrefix, Fault fault) {
        RULES.add(new Rule(stage, recipientPrefix, fault, new AtomicInteger(Integer.MAX_VALUE)));
    }

    /** A fault the next {@code times} times the stage is reached for a matching recipient (null: anyone). */
    public static void next(int times, Stage stage, String recipientPrefix, Fault fault) {
        RULES.add(new Rule(stage, recipientPrefix, fault, new AtomicInteger(times)));
    }

    /** While on, every new mail is refused with 451 4.3.0 at {@code MAIL FROM}. */
    public static void refuseAll(boolean refusing) {
        if (refusing) {
            always(Stage.MAIL_FROM, null, BUSY);
        } else {
            // Only this fault: others a test switched on stay.
            RULES.removeIf(rule -> rule.fault().equals(BUSY));
        }
    }

    /**
     * While on, nothing listens on the relay's port: connections are refused, and those open (the mail client keeps a
     * pool of them) are dropped, as when a relay goes down.
     */
    public static synchronized void refuseConnections(boolean refusing) {
        SmtpFaults relay = relay();
        try {
            if (refusing && relay.listener != null) {
                relay.listener.close();
                relay.listener = null;
                for (Socket session : SESSIONS) {
                    session.close();
                }
            } else if (!refusing && relay.listener == null) {
                relay.listener = relay.listen(relay.port);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Back to a relay that passes everything on (bar {@link #BOUNCING_PREFIX}), listening. */
    public static void clear() {
        RULES.clear();
        STALLS.drainPermits();
        refuseConnections(false);
    }

    /** Waits until a stall has begun: the client is then waiting on the relay. */
    public static boolean awaitStall(Duration timeout) throws InterruptedException {
        return STALLS.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private ServerSocket listen(int onPort) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
        Thread accepting = new Thread(() -> accept(socket), "smtp-faults");
        accepting.setDaemon(true);
        accepting.start();
        return socket;
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread session = new Thread(() -> new Session(client, upstreamPort).run(), "smtp-faults-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** The fault for this stage and these recipients, if a rule has one left. */
    private static Optional<Fault> fault(Stage stage, List<String> recipients) {
        List<Rule> rules = new ArrayList<>(RULES);
        rules.add(NO_SUCH_MAILBOX);
        return rules.stream().filter(rule -> rule.matches(stage, recipients) && rule.take()).findFirst()
                .map(Rule::fault);
    }

    /** One client connection: the dialogue, with faults where the rules say, and each whole mail passed on. */
    private static final class Session {

        private final Socket client;
        private final int upstreamPort;
        private OutputStream out;
        private String sender;
        private final List<String> recipients = new ArrayList<>();
        private final List<String> recipientCommands = new ArrayList<>();

        Session(Socket client, int upstreamPort) {
            this.client = client;
            this.upstreamPort = upstreamPort;
        }

        void run() {
            SESSIONS.add(client);
            try (client) {
                out = client.getOutputStream();
                InputStream in = new BufferedInputStream(client.getInputStream());
                // vertx-mail-client 4.5 loses a greeting that arrives before it listens on a new connection, and then
                // waits for it until the send timeout (see NotifierConfig.Delivery#sendTimeout). A relay across a
                // network is never that quick; on the loopback interface this one would be, now and then.
                Thread.sleep(GREETING_DELAY.toMillis());
                if (!goesOn(Stage.CONNECT, "220 smtp-faults ESMTP")) {
                    return;
                }
                byte[] line;
                while ((line = readLine(in)) != null) {
                    if (!command(new String(line, StandardCharsets.US_ASCII).strip(), in)) {
                        return;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // The session ended.
            } finally {
                SESSIONS.remove(client);
            }
        }

        /** @return whether the session goes on */
        private boolean command(String command, InputStream in) throws IOException, InterruptedException {
            String verb = command.length() < 4 ? command.toUpperCase(Locale.ROOT)
                    : command.substring(0, 4).toUpperCase(Locale.ROOT);
            switch (verb) {
                case "EHLO", "HELO" -> reply("250-smtp-faults\r\n250-8BITMIME\r\n250 SIZE 52428800");
                case "MAIL" -> {
                    reset();
                    if (goesOn(Stage.MAIL_FROM, "250 2.1.0 Sender OK")) {
                        sender = command;
                    }
                }
                case "RCPT" -> {
                    String recipient = address(command);
                    if (fault(Stage.RCPT_TO, List.of(recipient)).map(this::apply).orElse(true)) {
                        recipients.add(recipient);
                        recipientCommands.add(command);
                        reply("250 2.1.5 Recipient OK");
                    }
                }
                case "DATA" -> {
                    return data(in);
                }
                case "RSET" -> {
                    reset();
                    reply("250 2.0.0 OK");
                }
                case "NOOP" -> reply("250 2.0.0 OK");
                case "QUIT" -> {
                    reply("221 2.0.0 Bye");
                    return false;
                }
                default -> reply("502 5.5.2 Command not implemented");
            }
            return !client.isClosed();
        }

        private boolean data(InputStream in) throws IOException, InterruptedException {
            if (sender == null || recipients.isEmpty()) {
                reply("503 5.5.1 Bad sequence of commands");
                return true;
            }
            reply("354 End data with <CR><LF>.<CR><LF>");
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            byte[] line;
            while ((line = readLine(in)) != null) {
                content.write(line);
                if (new String(line, StandardCharsets.US_ASCII).equals(".\r\n")) {
                    break;
                }
            }
            if (line == null) {
                return false;
            }
            Optional<Fault> fault = fault(Stage.DATA_END, recipients);
            if (fault.isPresent() && !apply(fault.get())) {
                reset();
                return !client.isClosed();
            }
            reply(forward(content.toByteArray()));
            reset();
            return true;
        }

        /**
         * Applies a fault where a normal reply would be given.
         *
         * @return whether the stage goes on as normal (a stall did its waiting)
         */
        private boolean apply(Fault fault) {
            try {
                if (fault.drops()) {
                    client.close();
                    return false;
                }
                if (fault.reply() != null) {
                    reply(fault.reply());
                    if (fault.reply().startsWith("421")) {
                        client.close();
                    }
                    return false;
                }
                STALLS.release();
                Thread.sleep(fault.stall().toMillis());
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** Replies {@code normal} unless a fault strikes; whether the stage went on as normal. */
        private boolean goesOn(Stage stage, String normal) throws IOException {
            boolean goesOn = fault(stage, recipients).map(this::apply).orElse(true);
            if (goesOn) {
                reply(normal);
            }
            return goesOn && !client.isClosed();
        }

        /** The whole mail to the SMTP server in one session of its own; its reply to the end of the data. */
        private String forward(byte[] content) throws IOException {
            try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
                InputStream in = new BufferedInputStream(upstream.getInputStream());
                OutputStream toUpstream = upstream.getOutputStream();
                String reply = readReply(in);
                List<String> commands = new ArrayList<>(List.of("EHLO smtp-faults", sender));
                commands.addAll(recipientCommands);
                commands.add("DATA");
                for (String command : commands) {
                    toUpstream.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    toUpstream.flush();
                    reply = readReply(in);
                    if (!reply.startsWith("2") && !reply.startsWith("3")) {
                        return reply;
                    }
                }
                toUpstream.write(content);
                toUpstream.flush();
                reply = readReply(in);
                toUpstream.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                toUpstream.flush();
                return reply;
            }
        }

        private void reset() {
            sender = null;
            recipients.clear();
            recipientCommands.clear();
        }

        private void reply(String reply) throws IOException {
            out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        private static String address(String command) {
            int open = command.indexOf('<');
            int close = command.indexOf('>', open + 1);
            String address = open >= 0 && close > open ? command.substring(open + 1, close)
                    : command.substring(command.indexOf(':') + 1).strip();
            return address.toLowerCase(Locale.ROOT);
        }

        /** The last line of a (possibly multi-line) reply. */
        private static String readReply(InputStream in) throws IOException {
            byte[] line;
            while ((line = readLine(in)) != null) {
                String text = new String(line, StandardCharsets.US_ASCII).strip();
                if (text.length() < 4 || text.charAt(3) == ' ') {
                    return text;
                }
            }
            throw new IOException("the SMTP server closed the session");
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
