package org.optout.notifier.benchmark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JVM's limit for the delivery scenario: pre-rendered messages sent over plain sockets, one SMTP transaction after
 * another on each connection, with no rendering, database or bookkeeping at all.
 */
final class BareSmtpClient {

    private final int port;
    private final List<byte[]> messages;

    /** @param messages whole messages (headers and body, CRLF line ends), sent in turn */
    BareSmtpClient(int port, List<byte[]> messages) {
        this.port = port;
        this.messages = messages.stream().map(BareSmtpClient::dotStuffed).toList();
    }

    /** Sends {@code count} messages over {@code connections} connections and returns when all are accepted. */
    void send(int count, int connections) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            List<Future<?>> sessions = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                sessions.add(pool.submit(() -> session(next, count)));
            }
            for (Future<?> session : sessions) {
                session.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private Void session(AtomicInteger next, int count) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            reply(in, 220);
            command(out, in, "EHLO bench.example.org", 250);
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                command(out, in, "MAIL FROM:<noreply@optout.example.org>", 250);
                command(out, in, "RCPT TO:<bench-" + i + "@example.org>", 250);
                command(out, in, "DATA", 354);
                out.write(messages.get(i % messages.size()));
                command(out, in, ".", 250);
            }
            command(out, in, "QUIT", 221);
        }
        return null;
    }

    private static void command(OutputStream out, InputStream in, String line, int expected) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        reply(in, expected);
    }

    /** Reads one (possibly multi-line) reply and checks its code. */
    private static void reply(InputStream in, int expected) throws IOException {
        while (true) {
            String line = readLine(in);
            if (!line.startsWith(String.valueOf(expected))) {
                throw new IOException("expected " + expected + ", got " + line);
            }
            if (line.length() < 4 || line.charAt(3) != '-') {
                return;
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** SMTP transparency (RFC 5321 4.5.2), done once before sending rather than per mail. */
    private static byte[] dotStuffed(byte[] message) {
        String text = new String(message, StandardCharsets.UTF_8);
        return (text.startsWith(".") ? "." : "").concat(text.replace("\r\n.", "\r\n..")).getBytes(StandardCharsets.UTF_8);
    }
}
