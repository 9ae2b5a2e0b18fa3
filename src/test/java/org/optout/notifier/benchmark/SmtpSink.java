package org.optout.notifier.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Postfix's {@code smtp-sink} in a process of its own: an SMTP server made for measuring SMTP clients, fast enough
 * that the client is what gets measured. Its running counters ({@code -c}) tell how many messages it accepted.
 */
public final class SmtpSink implements AutoCloseable {

    private static final Pattern MESSAGES = Pattern.compile("mesg=(\\d+)");

    private final Process process;
    private final int port;
    private final AtomicLong messages = new AtomicLong();

    private SmtpSink(Process process, int port) {
        this.process = process;
        this.port = port;
        Thread reader = new Thread(this::readCounters, "smtp-sink-counters");
        reader.setDaemon(true);
        reader.start();
    }

    /** A sink that only counts. */
    public static SmtpSink start() throws IOException, InterruptedException {
        return start(null);
    }

    /** A sink that also keeps each message in a file of its own in {@code dump} (null: keeps nothing). */
    public static SmtpSink start(Path dump) throws IOException, InterruptedException {
        int port = Processes.freePort();
        List<String> command = new ArrayList<>(List.of("smtp-sink", "-c"));
        if ("root".equals(System.getProperty("user.name"))) {
            // smtp-sink refuses to keep root's privileges.
            command.addAll(List.of("-u", "nobody"));
        }
        if (dump != null) {
            Files.createDirectories(dump);
            Files.setPosixFilePermissions(dump, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            command.addAll(List.of("-d", dump.toAbsolutePath() + "/%H%M%S."));
        }
        command.addAll(List.of("127.0.0.1:" + port, "1000"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        SmtpSink sink = new SmtpSink(process, port);
        Processes.await(java.time.Duration.ofSeconds(10), "smtp-sink", process, sink::listening);
        return sink;
    }

    public int port() {
        return port;
    }

    /** Messages accepted since the sink started. */
    public long messages() {
        return messages.get();
    }

    private boolean listening() {
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private void readCounters() {
        try (InputStream in = process.getInputStream()) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\r' || c == '\n') {
                    Matcher m = MESSAGES.matcher(line);
                    if (m.find()) {
                        messages.set(Long.parseLong(m.group(1)));
                    }
                    line.setLength(0);
                } else {
                    line.append((char) c);
                }
            }
        } catch (IOException ended) {
            // The sink was stopped.
        }
    }

    @Override
    public void close() throws InterruptedException {
        Processes.stop(process);
    }

    /** The raw messages a dumping sink kept, without the envelope lines and trace header smtp-sink adds. */
    static List<byte[]> dumped(Path dump) throws IOException {
        List<byte[]> messages = new ArrayList<>();
        try (var files = Files.list(dump)) {
            for (Path file : files.sorted().toList()) {
                messages.add(withoutEnvelope(Files.readString(file, StandardCharsets.UTF_8)));
            }
        }
        return messages;
    }

    private static byte[] withoutEnvelope(String dumped) {
        String[] lines = dumped.split("\n", -1);
        int start = 0;
        while (start < lines.length && lines[start].startsWith("X-")) {
            start++;
        }
        if (start < lines.length && lines[start].startsWith("Received:")) {
            start++;
            while (start < lines.length && lines[start].startsWith("\t")) {
                start++;
            }
        }
        int end = lines.length;
        // The dump ends each message with an empty line of its own, after the message's last line break.
        while (end > start && lines[end - 1].isEmpty()) {
            end--;
        }
        return (String.join("\r\n", java.util.Arrays.asList(lines).subList(start, end)) + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
