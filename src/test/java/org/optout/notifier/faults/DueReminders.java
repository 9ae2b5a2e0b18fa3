package org.optout.notifier.faults;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import org.optout.notifier.benchmark.Audience;
import org.optout.notifier.benchmark.BenchDatabase;
import org.optout.notifier.benchmark.ServiceUnderTest;

/**
 * N reminders due at once, one per subscriber: the subscribers written with COPY (set-up, as in the benchmark), the
 * LinkedIn change published on the stage's topic and planned by the service itself, then every first reminder made
 * due now. Sending is paused meanwhile; the caller resumes it.
 */
final class DueReminders {

    static final String CHANGE = "faults-linkedin";

    private DueReminders() {
    }

    /** The ids of the reminders now due. */
    static Set<Long> prepare(FaultRun run, Stage stage, ServiceUnderTest app, int count) throws Exception {
        BenchDatabase database = stage.database();
        app.pauseSending();
        Audience.add(database, 0, count);
        try (Publisher publisher = new Publisher(stage.topics().bootstrapServers())) {
            publisher.send(Publisher.change(stage.policyChanges(), CHANGE, 1, CHANGE + "-r1",
                    LocalDate.now().plusDays(30))).get();
        }
        boolean planned = run.await(() -> firstReminders(database) == count);
        if (!planned) {
            throw new IllegalStateException("only " + firstReminders(database) + " of " + count + " planned");
        }
        database.execute("update reminder set due_at = now(), next_attempt_at = now() where lead_day = 7");
        Set<Long> ids = new HashSet<>();
        try (var connection = database.connect(); var query = connection.createStatement();
                var rows = query.executeQuery("select id from reminder where lead_day = 7")) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        }
        return ids;
    }

    static long firstReminders(BenchDatabase database) throws Exception {
        return database.count("select count(*) from reminder where lead_day = 7");
    }

    static long sent(BenchDatabase database) throws Exception {
        return database.count("select count(*) from reminder where lead_day = 7 and status = 'SENT'");
    }

    /** Reminders of {@code due} that reached the SMTP server not even once, or are not recorded as sent. */
    static long lost(Set<Long> due, Mailbox.Tally tally, BenchDatabase database) throws Exception {
        long unmailed = due.stream().filter(id -> !tally.byReminder().containsKey(id)).count();
        return Math.max(unmailed, due.size() - sent(database));
    }
}
