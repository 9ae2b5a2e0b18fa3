package org.optout.notifier.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.optout.notifier.benchmark.Processes;
import org.optout.notifier.benchmark.SmtpSink;
import org.optout.notifier.delivery.ReminderMailer;

/**
 * The SMTP server the service sends to: postfix's {@code smtp-sink} in a process of its own, keeping every message it
 * accepted (a message cut off before its final dot leaves no file), so that outcomes are counted where they happen:
 * by {@code Message-ID}, by reminder id ({@code X-Optout-Reminder-Ids}) and by recipient.
 */
final class Mailbox implements AutoCloseable {

    private final SmtpSink sink;
    private final Path folder;

    private Mailbox(SmtpSink sink, Path folder) {
        this.sink = sink;
        this.folder = folder;
    }

    static Mailbox start(Path folder) throws IOException, InterruptedException {
        Processes.deleteRecursively(folder);
        return new Mailbox(SmtpSink.start(folder), folder);
    }

    int port() {
        return sink.port();
    }

    /** Messages accepted so far (the sink's own counter, cheap to read). */
    long accepted() {
        return sink.messages();
    }

    /** Every message accepted so far, counted by what identifies it. */
    Tally tally() throws IOException {
        Tally tally = new Tally(new HashMap<>(), new HashMap<>(), new HashMap<>());
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                tally.add(headers(file));
            }
        }
        return tally;
    }

    /** The envelope recipient (smtp-sink's {@code X-Rcpt-Args}) and the message's headers, lower-case names. */
    private static Map<String, String> headers(Path file) throws IOException {
        Map<String, String> headers = new HashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            boolean received = false;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty() && received) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon > 0 && !Character.isWhitespace(line.charAt(0))) {
                    String name = line.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
                    received |= name.equals("received");
                    headers.putIfAbsent(name, line.substring(colon + 1).strip());
                }
            }
        }
        return headers;
    }

    @Override
    public void close() throws InterruptedException {
        sink.close();
    }

    /** Messages by {@code Message-ID}, by reminder id and by envelope recipient. */
    record Tally(Map<String, Integer> byMessageId, Map<Long, Integer> byReminder, Map<String, Integer> byRecipient) {

        private void add(Map<String, String> headers) {
            byMessageId.merge(headers.getOrDefault("message-id", "none"), 1, Integer::sum);
            String reminders = headers.get(ReminderMailer.REMINDER_IDS_HEADER.toLowerCase(java.util.Locale.ROOT));
            if (reminders != null) {
                for (String id : reminders.split(",")) {
                    byReminder.merge(Long.parseLong(id.strip()), 1, Integer::sum);
                }
            }
            String recipient = headers.getOrDefault("x-rcpt-args", "").replaceAll("[<>]", "").split(" ")[0];
            byRecipient.merge(recipient, 1, Integer::sum);
        }

        /** Mails beyond the first for the same reminder. */
        int duplicateReminders() {
            return byReminder.values().stream().mapToInt(n -> n - 1).sum();
        }

        /** Mails beyond the first with the same {@code Message-ID}. */
        int duplicateMessageIds() {
            return byMessageId.values().stream().mapToInt(n -> n - 1).sum();
        }

        int to(String recipient) {
            return byRecipient.getOrDefault(recipient, 0);
        }
    }
}
