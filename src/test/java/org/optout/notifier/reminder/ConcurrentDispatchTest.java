package org.optout.notifier.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.optout.notifier.config.NotifierConfig;
import org.optout.notifier.config.TestClock;
import org.optout.notifier.delivery.FollowUpMailer;
import org.optout.notifier.delivery.MailSender;
import org.optout.notifier.outcome.NotificationOutcomes;
import org.optout.notifier.delivery.ReminderMailer;
import org.optout.notifier.infrastructure.Crowd;
import org.optout.notifier.infrastructure.Fixtures;
import org.optout.notifier.infrastructure.SmtpServer;
import org.optout.notifier.subscription.Subscription;
import org.optout.notifier.subscription.SuppressionList;

/**
 * Two dispatchers (the application's and a second instance with its own lock, as another replica would have) on two
 * threads against one PostgreSQL: every due reminder reaches the SMTP server exactly once, counted there by the
 * reminder ids each mail carries. 2,000 reminders by default; {@code -Dconcurrent-dispatch.reminders=10000} for the
 * full size (see docs/benchmarks.md). PostgreSQL only: H2 has no {@code SKIP LOCKED}, and one instance is its case.
 */
@QuarkusTest
@Tag("postgresql-only")
class ConcurrentDispatchTest {

    private static final int REMINDERS = Integer.getInteger("concurrent-dispatch.reminders", 2_000);

    @Inject
    ReminderDispatcher dispatcher;

    @Inject
    TestClock clock;

    @Inject
    AgroalDataSource database;

    @Inject
    ReminderMailer reminderMailer;

    @Inject
    FollowUpMailer followUpMailer;

    @Inject
    NotificationOutcomes outcomes;

    @Inject
    DueSubscribers dueSubscribers;

    @Inject
    EntityManager em;

    @Inject
    MailSender sender;

    @Inject
    DeliveryRecorder recorder;

    @Inject
    SuppressionList suppressions;

    @Inject
    SendingSwitch sending;

    @Inject
    NotifierConfig config;

    private final String prefix = "crowd-" + UUID.randomUUID();

    /** The crowd would otherwise match every later test's Hong Kong LinkedIn change and be mailed about it. */
    @AfterEach
    void cleanUp() throws Exception {
        clock.reset();
        QuarkusTransaction.requiringNew().run(() -> Subscription.delete("email like ?1", prefix + "-%"));
        SmtpServer.shared().purgeEmailFromAllMailboxes();
    }

    @Test
    void twoDispatchersDeliverEveryDueReminderExactlyOnce() throws Exception {
        String changeId = "concurrent-" + UUID.randomUUID();
        LocalDate effective = LocalDate.now().plusDays(30);
        Fixtures.linkedInChange(changeId, "Crowd", effective, List.of("HK"), false);
        Crowd.subscribers(database, prefix, REMINDERS, "HK", "Asia/Hong_Kong", "linkedin");
        Instant due = clock.instant().minusSeconds(60);
        assertThat(Crowd.dueReminders(database, prefix, changeId, 7, due)).isEqualTo(REMINDERS);
        ReminderDispatcher secondReplica = new ReminderDispatcher(clock, dueSubscribers, new MailedChanges(em),
                reminderMailer, followUpMailer, sender, recorder, outcomes, suppressions, sending, config);

        ExecutorService threads = Executors.newFixedThreadPool(2);
        long started = System.nanoTime();
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(dispatcher::dispatchDue, threads);
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(secondReplica::dispatchDue, threads);
        int handledByFirst = first.get(15, TimeUnit.MINUTES);
        int handledBySecond = second.get(15, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - started) / 1e9;
        threads.shutdown();
        secondReplica.stop();

        Set<Long> planned = plannedReminderIds(changeId);
        Map<Long, Integer> received = SmtpServer.reminderIdsReceived(prefix);
        // A digest may also carry a reminder of another test's change that matched the crowd; only ours count.
        received.keySet().retainAll(planned);
        Log.infof("Two dispatchers sent %d reminders in %.1f s (%.0f mails/s); %d and %d subscribers each",
                received.size(), seconds, received.size() / seconds, handledByFirst, handledBySecond);
        assertThat(planned).hasSize(REMINDERS);
        assertThat(received.keySet()).as("lost reminders").containsExactlyInAnyOrderElementsOf(planned);
        assertThat(received.values()).as("reminders received more than once").allMatch(count -> count == 1);
        assertThat(handledByFirst).as("the first dispatcher took part").isPositive();
        assertThat(handledBySecond).as("the second dispatcher took part").isPositive();
        assertThat(sentCount(changeId)).isEqualTo(REMINDERS);
    }

    /**
     * A lane whose first candidates another lane holds claims past them: the candidates are locked as they are read.
     * (Read first and locked after, a lane met only subscribers another had taken meanwhile, came back empty and ended,
     * and the other sent the rest of the round alone.)
     */
    @Test
    void aLaneClaimsPastTheSubscribersAnotherLaneHolds() throws Exception {
        String changeId = "lanes-" + UUID.randomUUID();
        Fixtures.linkedInChange(changeId, "Lanes", LocalDate.now().plusDays(30), List.of("HK"), false);
        Crowd.subscribers(database, prefix, 700, "HK", "Asia/Hong_Kong", "linkedin");
        Crowd.dueReminders(database, prefix, changeId, 7, clock.instant().minusSeconds(60));
        // The application's own dispatcher stays out of it: the two lanes are this test's.
        sending.pause();
        CountDownLatch firstHolds = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        ExecutorService lanes = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<Set<Long>> first = CompletableFuture.supplyAsync(() -> QuarkusTransaction
                    .requiringNew().call(() -> {
                        Set<Long> held = claimedIds(dueSubscribers.claim(clock.instant(), 250));
                        firstHolds.countDown();
                        secondDone.await(1, TimeUnit.MINUTES);
                        return held;
                    }), lanes);
            assertThat(firstHolds.await(1, TimeUnit.MINUTES)).isTrue();
            Set<Long> second = CompletableFuture.supplyAsync(() -> QuarkusTransaction.requiringNew()
                    .call(() -> claimedIds(dueSubscribers.claim(clock.instant(), 25))), lanes)
                    .get(1, TimeUnit.MINUTES);
            secondDone.countDown();

            assertThat(first.get(1, TimeUnit.MINUTES)).hasSize(250);
            assertThat(second).hasSize(25).doesNotContainAnyElementsOf(first.get());
        } finally {
            secondDone.countDown();
            lanes.shutdown();
            sending.resume();
        }
    }

    private static Set<Long> claimedIds(List<DueSubscribers.Claimed> claimed) {
        return claimed.stream().map(subscriber -> subscriber.subscriber().id()).collect(Collectors.toSet());
    }

    private static Set<Long> plannedReminderIds(String changeId) {
        return QuarkusTransaction.requiringNew().call(() -> Reminder.<Reminder>list("changeId", changeId).stream()
                .map(reminder -> reminder.id).collect(Collectors.toSet()));
    }

    private static long sentCount(String changeId) {
        return QuarkusTransaction.requiringNew().call(() -> Reminder.count("changeId = ?1 and status = ?2", changeId,
                ReminderStatus.SENT));
    }
}
