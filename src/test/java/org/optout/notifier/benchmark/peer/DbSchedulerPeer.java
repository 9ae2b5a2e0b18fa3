package org.optout.notifier.benchmark.peer;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.serializer.JacksonSerializer;
import io.quarkus.logging.Log;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.optout.notifier.config.NotifierConfig;
import io.quarkus.mailer.reactive.ReactiveMailer;
import org.optout.notifier.delivery.ReminderMailer;

/**
 * The benchmark's "peer" baseline for reminder delivery: what a team would build with
 * <a href="https://github.com/kagkarlsson/db-scheduler">db-scheduler</a> 16.7.1 instead of the service's dispatcher.
 * Each due reminder becomes one one-time task execution, which renders the service's templates and sends through the
 * service's {@link ReminderMailer} (the beans of the booted service, so the same Qute templates, mail client and pool).
 * Run by deploy/bench/run.sh through {@link PeerLauncher}, never by the test suite, with the {@code PEER_*} variables
 * of {@link DbSchedulerPeerProfile}, a JVM for each measurement: once booted, it waits for the harness's
 * {@code <ready file>.go} file, schedules the due reminders, creates the ready file, sends, and writes its summary into
 * {@code <ready file>.done}.
 *
 * <p>The scheduler is configured as db-scheduler's README recommends for throughput:
 * <ul>
 * <li>{@code threads(PEER_THREADS)}: as many as the service's sender, so both have the same concurrency.</li>
 * <li>{@code pollUsingLockAndFetch(1.0, 4.0)}: the README advises the lock-and-fetch strategy above 1,000
 * executions/s "for lower overhead and higher throughput" ({@code select ... for update skip locked} picks a batch in
 * one statement, saving one update per execution), and gives {@code 1.0, 4.0} as the setting "for high throughput
 * (i.e. keep threads busy)": fetch up to 4 x threads executions, fetch again as soon as no more than 1 x threads are
 * left.</li>
 * <li>{@code JacksonSerializer}: the task data (the reminder's id) is then its digits, so the executions can be
 * scheduled by one {@code insert ... select} (see {@link ScheduledTasks}) before the clock starts.</li>
 * <li>A failed execution is retried with the service's backoff ({@code notifier.delivery.retry-initial}, doubled),
 * not db-scheduler's fixed 5 minutes, and a send waits at most the service's {@code send-timeout}.</li>
 * <li>Everything else at its default: polling interval 10 s (it only matters once the table runs dry, as every
 * execution is due at start), heartbeat 5 min, no immediate execution, no priority.</li>
 * </ul>
 * The table is db-scheduler's own PostgreSQL DDL, in the service's database. Measured: from the scheduler's start until
 * no reminder that was due is still pending, or the time limit.
 */
@QuarkusTest
@TestProfile(DbSchedulerPeerProfile.class)
@Tag(DbSchedulerPeerProfile.TAG)
class DbSchedulerPeer {

    private static final Duration CHECK_EVERY = Duration.ofMillis(100);
    private static final Duration GO_WITHIN = Duration.ofMinutes(5);

    @Inject
    DataSource database;

    @Inject
    ReminderMailer mailer;

    @Inject
    ReactiveMailer smtp;

    @Inject
    Clock clock;

    @Inject
    NotifierConfig config;

    @ConfigProperty(name = "peer.threads")
    int threads;

    @ConfigProperty(name = "peer.limit-seconds")
    long limitSeconds;

    /** Written when the scheduler starts; its sibling {@code <file>.done} holds the summary line at the end. */
    /** Written when the scheduler starts; its siblings {@code <file>.booted}, {@code <file>.go} and {@code <file>.done}
     * pace the measurement. */
    @ConfigProperty(name = "peer.ready-file")
    Path readyFile;

    @Test
    void sendsEveryDueReminderAsADbSchedulerTask() throws Exception {
        Path goFile = sibling(".go");
        Path doneFile = sibling(".done");
        publish(sibling(".booted"), "PEER BOOTED");
        awaitGo(goFile);
        Files.delete(goFile);
        String summary = round();
        Log.info(summary);
        publish(doneFile, summary);
    }

    /** The measurement: every due reminder as a task, sent until none is due or the time limit. */
    private String round() throws Exception {
        Instant now = clock.instant();
        ReminderTask task = new ReminderTask(mailer, smtp, clock, config.delivery());
        int scheduled = ScheduledTasks.recreateWithDueReminders(database, ReminderTask.NAME, now);
        Scheduler scheduler = Scheduler.create(database, task.definition())
                .threads(threads)
                .pollUsingLockAndFetch(1.0, 4.0)
                .serializer(new JacksonSerializer())
                .build();

        publish(readyFile, "PEER READY scheduled=%d threads=%d".formatted(scheduled, threads));
        long started = System.nanoTime();
        scheduler.start();
        boolean drained;
        double seconds;
        try {
            drained = awaitNoneDue(now, started + Duration.ofSeconds(limitSeconds).toNanos());
            seconds = (System.nanoTime() - started) / 1e9;
        } finally {
            scheduler.stop();
        }
        return String.format(Locale.ROOT, "PEER DONE sent=%d seconds=%.3f mails/s=%.1f drained=%s", task.sent(),
                seconds, task.sent() / seconds, drained);
    }

    private Path sibling(String suffix) {
        return readyFile.resolveSibling(readyFile.getFileName() + suffix);
    }

    /** The harness says go once the peer has booted; it is gone if nothing comes for long. */
    private static void awaitGo(Path goFile) throws InterruptedException {
        long deadline = System.nanoTime() + GO_WITHIN.toNanos();
        while (!Files.exists(goFile)) {
            assertThat(System.nanoTime()).as("the harness's go within %s", GO_WITHIN).isLessThan(deadline);
            Thread.sleep(CHECK_EVERY.toMillis());
        }
    }

    private boolean awaitNoneDue(Instant now, long deadlineNanos) throws SQLException, InterruptedException {
        while (stillDue(now) > 0) {
            if (System.nanoTime() > deadlineNanos) {
                return false;
            }
            Thread.sleep(CHECK_EVERY.toMillis());
        }
        return true;
    }

    private long stillDue(Instant now) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement count = connection.prepareStatement(
                        "select count(*) from reminder where status = 'PENDING' and next_attempt_at <= ?")) {
            count.setTimestamp(1, Timestamp.from(now));
            try (ResultSet result = count.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    /** Whole or not at all: the harness may read the file the moment it appears. */
    private static void publish(Path file, String line) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, line + System.lineSeparator());
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
