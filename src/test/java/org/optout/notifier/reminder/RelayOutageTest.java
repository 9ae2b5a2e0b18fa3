package org.optout.notifier.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.optout.notifier.config.TestClock;
import org.optout.notifier.infrastructure.Fixtures;
import org.optout.notifier.infrastructure.SmtpFaults;
import org.optout.notifier.infrastructure.SmtpFaults.Fault;
import org.optout.notifier.infrastructure.SmtpFaults.Stage;
import org.optout.notifier.infrastructure.SmtpServer;
import org.optout.notifier.subscription.SubscriptionStatus;
import org.optout.notifier.subscription.Tokens;

/**
 * A relay outage with many reminders due: first nothing listens (connections refused), then the relay answers 421 to
 * every connection, then it recovers. The dispatcher runs every 30 s of the test's clock throughout. Nothing is lost,
 * nothing arrives twice or after its deadline, and the retries are bounded and spread by their jitter. The default
 * run is the quick subset; sizes and durations are parameters for the longer run (docs/reliability.md):
 * {@code -Dreliability.subscribers}, {@code -Dreliability.refused-minutes}, {@code -Dreliability.busy-minutes}.
 */
@QuarkusTest
class RelayOutageTest {

    private static final int SUBSCRIBERS = Integer.getInteger("reliability.subscribers", 30);
    private static final Duration REFUSED = Duration.ofMinutes(Long.getLong("reliability.refused-minutes", 4));
    private static final Duration BUSY = Duration.ofMinutes(Long.getLong("reliability.busy-minutes", 4));
    private static final Duration ROUND = Duration.ofSeconds(30);
    private static final ZoneId HONG_KONG = ZoneId.of("Asia/Hong_Kong");

    @Inject
    ReminderPlanner planner;

    @Inject
    ReminderDispatcher dispatcher;

    @Inject
    TestClock clock;

    @Inject
    Tokens tokens;

    @AfterEach
    void recover() {
        SmtpFaults.clear();
        clock.reset();
    }

    @Test
    void anOutageOfMinutesLosesNothingAndSendsNothingTwiceOrLate() throws Exception {
        String prefix = "outage-" + UUID.randomUUID() + "-";
        List<Long> subscribers = new ArrayList<>();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            subscribers.add(Fixtures.subscriber(tokens, tokens.newSalt(), prefix + i + "@example.org", "HK",
                    HONG_KONG.getId(), 9, "en", SubscriptionStatus.ACTIVE, "linkedin"));
        }
        LocalDate effective = LocalDate.now().plusDays(20);
        String changeId = "outage-" + UUID.randomUUID();
        Fixtures.linkedInChange(changeId, "Relay outage", effective, List.of("HK"), true);
        planner.planTasks();
        Instant deadline = effective.atStartOfDay(HONG_KONG).toInstant();
        clock.advance(Duration.between(clock.instant(), effective.minusDays(7).atTime(9, 0, 1).atZone(HONG_KONG)
                .toInstant()));

        SmtpFaults.refuseConnections(true);
        rounds(REFUSED);
        SmtpFaults.refuseConnections(false);
        SmtpFaults.always(Stage.CONNECT, null, Fault.reply("421 4.3.2 Service not available, try again later"));
        rounds(BUSY);
        List<Reminder> duringTheOutage = reminders(subscribers, changeId);
        SmtpFaults.clear();
        Instant recovered = clock.instant();
        // The longest wait between two attempts is 30 minutes plus its jitter.
        rounds(Duration.ofMinutes(40));

        assertThat(duringTheOutage).as("nothing got through, nothing failed for good")
                .allSatisfy(r -> assertThat(r.status).isEqualTo(ReminderStatus.PENDING));
        Set<Instant> nextAttempts = new HashSet<>();
        duringTheOutage.forEach(r -> nextAttempts.add(r.nextAttemptAt));
        assertThat(nextAttempts).as("retries spread, not in step").hasSizeGreaterThan(SUBSCRIBERS / 2);
        long outageMinutes = REFUSED.plus(BUSY).toMinutes();
        // One per doubling of the wait during the outage, the first and the successful one, and one spare for the
        // mail client's race (a send never answered, retried after the send timeout).
        int bound = 3 + (int) Math.ceil(Math.log(outageMinutes) / Math.log(2)) + 1;
        List<Reminder> after = reminders(subscribers, changeId);
        assertThat(after).hasSize(SUBSCRIBERS).allSatisfy(r -> {
            assertThat(r.status).isEqualTo(ReminderStatus.SENT);
            assertThat(r.sentAt).isBefore(deadline);
            assertThat(r.attempts).as("attempts, backoff doubling from 1 minute").isBetween(2, bound);
        });
        Map<Long, Integer> received = SmtpServer.reminderIdsReceived(prefix);
        assertThat(received).hasSize(SUBSCRIBERS).allSatisfy((id, times) -> assertThat(times).isEqualTo(1));
        // The figures docs/reliability.md quotes.
        IntSummaryStatistics attempts = after.stream().mapToInt(r -> r.attempts).summaryStatistics();
        Log.infof("Relay outage of %d min (%d refused, %d answering 421), %d reminders: all sent once, attempts %d to "
                + "%d (mean %.1f), %d distinct next attempts during the outage, the last sent %d s after recovery",
                outageMinutes, REFUSED.toMinutes(), BUSY.toMinutes(), SUBSCRIBERS, attempts.getMin(),
                attempts.getMax(), attempts.getAverage(), nextAttempts.size(), after.stream()
                        .map(r -> Duration.between(recovered, r.sentAt).toSeconds()).max(Long::compare).orElseThrow());
    }

    /** The dispatcher's rounds, every 30 s of the test's clock, for this long. */
    private void rounds(Duration duration) {
        for (Duration done = Duration.ZERO; done.compareTo(duration) < 0; done = done.plus(ROUND)) {
            clock.advance(ROUND);
            dispatcher.dispatchDue();
        }
    }

    private static List<Reminder> reminders(List<Long> subscribers, String changeId) {
        return QuarkusTransaction.requiringNew().call(() -> Reminder.<Reminder>list(
                "subscriptionId in ?1 and changeId = ?2 and leadDay = 7", subscribers, changeId));
    }
}
