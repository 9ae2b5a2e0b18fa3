package org.optout.notifier.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.optout.notifier.outcome.NotificationOutcomes;
import org.optout.notifier.infrastructure.Crowd;
import org.optout.notifier.infrastructure.Fixtures;
import org.optout.notifier.infrastructure.KafkaBroker;
import org.optout.notifier.policy.IntakePressure;
import org.optout.notifier.policy.PlanningTask;
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.policy.PolicyChangeStatus;
import org.optout.notifier.subscription.Subscription;
import org.optout.notifier.subscription.SubscriptionService;
import org.optout.notifier.subscription.SubscriptionStatus;
import org.optout.notifier.subscription.Tokens;

/** Planning against the real database: who gets which reminder when, across revisions and cancellations. */
@QuarkusTest
@Tag("persistence")
class ReminderPlanningTest {

    @Inject
    ReminderPlanner planner;

    @Inject
    Tokens tokens;

    @Inject
    SubscriptionService subscriptions;

    @Inject
    OptedOut optedOut;

    @Inject
    AgroalDataSource database;

    @Inject
    IntakePressure intakePressure;

    @Test
    void matchingSubscribersGetTheirLeadDaysAndOthersNothing() throws Exception {
        LocalDate effective = LocalDate.now().plusDays(20);
        long hongKong = subscriber("HK", "Asia/Hong_Kong", 9, "linkedin");
        long germany = subscriber("DE", "Europe/Berlin", 18, "linkedin", "facebook");
        long norway = subscriber("NO", "Europe/Oslo", 9, "linkedin");
        long unitedStates = subscriber("US", "America/New_York", 9, "linkedin");
        long facebookOnly = subscriber("HK", "Asia/Hong_Kong", 9, "facebook");
        String changeId = change(1, effective, PolicyChangeStatus.ACTIVE);

        planner.planTasks();

        assertThat(due(hongKong, changeId)).containsExactly(
                at(effective.minusDays(7), 9, "Asia/Hong_Kong"), at(effective.minusDays(1), 9, "Asia/Hong_Kong"));
        assertThat(due(germany, changeId)).containsExactly(
                at(effective.minusDays(7), 18, "Europe/Berlin"), at(effective.minusDays(1), 18, "Europe/Berlin"));
        assertThat(due(norway, changeId)).hasSize(2);
        assertThat(due(unitedStates, changeId)).isEmpty();
        assertThat(due(facebookOnly, changeId)).isEmpty();
        assertThat(tasks(changeId)).isZero();
    }

    /** More changes than are planned in one transaction: each is planned once, whichever transaction it fell in. */
    @Test
    void aBurstOfChangesIsPlannedInTransactionsOfSeveral() throws Exception {
        long hongKong = subscriber("HK", "Asia/Hong_Kong", 9, "linkedin");
        List<String> changeIds = new ArrayList<>();
        for (int i = 0; i < ReminderPlanner.TASKS_TOGETHER + 10; i++) {
            changeIds.add(change(1, LocalDate.now().plusDays(20 + i % 5), PolicyChangeStatus.ACTIVE));
        }

        planner.planTasks();

        for (String changeId : changeIds) {
            assertThat(due(hongKong, changeId)).as(changeId).hasSize(2);
            assertThat(tasks(changeId)).as(changeId).isZero();
        }
    }

    /**
     * While policy changes arrive faster than they are stored, each group of tasks waits for the intake, but no longer
     * than {@link ReminderPlanner#GIVING_WAY}: a burst that never ends delays planning, it does not stop it.
     */
    @Test
    void planningGivesWayToABurstOfPolicyChangesButNeverStops() throws Exception {
        ScheduledExecutorService burst = Executors.newSingleThreadScheduledExecutor();
        burst.scheduleAtFixedRate(() -> intakePressure.polled(100, 100), 0, 50, TimeUnit.MILLISECONDS);
        long hongKong = subscriber("HK", "Asia/Hong_Kong", 9, "linkedin");
        List<String> changeIds = new ArrayList<>();
        long start;
        try {
            for (int i = 0; i < ReminderPlanner.TASKS_TOGETHER + 10; i++) {
                changeIds.add(change(1, LocalDate.now().plusDays(20), PolicyChangeStatus.ACTIVE));
            }
            start = System.nanoTime();
            planner.planTasks();
        } finally {
            burst.shutdownNow();
        }

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(
                ReminderPlanner.GIVING_WAY.multipliedBy(2));
        for (String changeId : changeIds) {
            assertThat(due(hongKong, changeId)).as(changeId).hasSize(2);
            assertThat(tasks(changeId)).as(changeId).isZero();
        }
    }

    /**
     * One transaction plans tasks of every kind together, with what they need read once for all: each ends as it would
     * on its own.
     */
    @Test
    void tasksOfEveryKindPlannedTogetherEachEndAsOnTheirOwn() throws Exception {
        long hongKong = subscriber("HK", "Asia/Hong_Kong", 9, "linkedin");
        String moved = change(1, LocalDate.now().plusDays(20), PolicyChangeStatus.ACTIVE);
        String cancelled = change(1, LocalDate.now().plusDays(20), PolicyChangeStatus.ACTIVE);
        planner.planTasks();
        markSent(hongKong, moved, 7);

        LocalDate later = LocalDate.now().plusDays(30);
        revise(moved, 2, later, PolicyChangeStatus.ACTIVE);
        revise(cancelled, 2, LocalDate.now().plusDays(20), PolicyChangeStatus.CANCELLED);
        String fresh = change(1, LocalDate.now().plusDays(25), PolicyChangeStatus.ACTIVE);
        // Revised before it was planned: the task of revision 1 is stale and only goes away.
        String revisedAtOnce = change(1, LocalDate.now().plusDays(25), PolicyChangeStatus.ACTIVE);
        revise(revisedAtOnce, 2, LocalDate.now().plusDays(26), PolicyChangeStatus.ACTIVE);
        String held = change(1, LocalDate.now().plusDays(25), PolicyChangeStatus.ACTIVE);
        QuarkusTransaction.requiringNew().run(() -> PolicyChange.update("awaitingApproval = true where changeId = ?1",
                held));
        planner.planTasks();

        assertThat(reminders(hongKong, moved)).extracting(r -> r.leadDay + " " + r.status + " " + r.revision)
                .containsExactlyInAnyOrder("7 SENT 1", "1 PENDING 2");
        assertThat(followUps(hongKong, moved)).singleElement()
                .satisfies(f -> assertThat(f.kind).isEqualTo(FollowUp.Kind.DEADLINE_MOVED));
        assertThat(reminders(hongKong, cancelled)).hasSize(2)
                .allSatisfy(r -> assertThat(r.status).isEqualTo(ReminderStatus.CANCELLED));
        assertThat(due(hongKong, fresh)).hasSize(2);
        assertThat(reminders(hongKong, revisedAtOnce)).hasSize(2).allSatisfy(r -> assertThat(r.revision).isEqualTo(2));
        assertThat(reminders(hongKong, held)).isEmpty();
        assertThat(tasks(held)).isOne();
        for (String done : List.of(moved, cancelled, fresh, revisedAtOnce)) {
            assertThat(tasks(done)).as(done).isZero();
        }
    }

    @Test
    void aRevisionMovesWhatIsPendingAndNeverRepeatsALeadDay() throws Exception {
        long hongKong = subscriber("HK", "Asia/Hong_Kong", 9, "linkedin");
        String changeId = change(1, LocalDate.now().plusDays(20), PolicyChangeStatus.ACTIVE);
        planner.planTasks();
        QuarkusTransaction.requiringNew().run(() -> Reminder.update(
                "status = ?1 where subscriptionId = ?2 and changeId = ?3 and leadDay = 7",
                ReminderStatus.SENT, hongKong, changeId));

        LocalDate moved = LocalDate.now().plusDays(30);
        revise(changeId, 2, moved, PolicyChangeStatus.ACTIVE);
        planner.planTasks();
        planner.planTasks();

        List<Reminder> reminders = reminders(hongKong, changeId);
        assertThat(reminders).hasSize(2);
        assertThat(reminders).filteredOn(r -> r.leadDay == 7).singleElement()
                .satisfies(r -> assertThat(r.status).isEqualTo(ReminderStatus.SENT));
        assertThat(reminders).filteredOn(r -> r.leadDay == 1).singleElement().satisfies(r -> {
            assertThat(r.revision).isEqualTo(2);
            assertThat(r.dueAt).isEqualTo(at(moved.minusDays(1), 9, "Asia/Hong_Kong"));
        });
    }

    @Test
    void aCancellationCancelsWhatIsPending() throws Exception {
        long hongKong = subscriber("HK", "Asia/Hong_Kong", 9, "linkedin");
        String changeId = change(1, LocalDate.now().plusDays(20), PolicyChangeStatus.ACTIVE);
        planner.planTasks();

        revise(changeId, 2, LocalDate.now().plusDays(20), PolicyChangeStatus.CANCELLED);
        planner.planTasks();

        assertThat(reminders(hongKong, changeId)).hasSize(2)
                .allSatisfy(r -> assertThat(r.status).isEqualTo(ReminderStatus.CANCELLED));
        var outcome = KafkaBroker.companion().consumeStrings()
                .fromTopics(NotificationOutcomes.CHANNEL, records -> records.select()
                        .where(r -> changeId.equals(r.key())).select().first())
                .awaitCompletion(java.time.Duration.ofSeconds(20)).getFirstRecord();
        var event = new ObjectMapper().readTree(outcome.value());
        assertThat(event.path("type").asText()).isEqualTo(NotificationOutcomes.CANCELLED_TYPE);
        assertThat(event.path("data").path("remindersCancelled").asLong()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aLateSubscriberGetsOneCatchUpAndTheLastReminder() throws Exception {
        String changeId = change(1, LocalDate.now().plusDays(3), PolicyChangeStatus.ACTIVE);
        planner.planTasks();
        long late = subscriber("HK", "Asia/Hong_Kong", 9, "linkedin");

        planner.planSubscriber(late);

        List<Reminder> reminders = reminders(late, changeId);
        assertThat(reminders).extracting(r -> r.leadDay).containsExactlyInAnyOrder(7, 1);
        assertThat(reminders).filteredOn(r -> r.catchUp).singleElement()
                .satisfies(r -> assertThat(r.leadDay).isEqualTo(7));
    }

    @Test
    void unsubscribingCancelsWhatIsPending() throws Exception {
        String salt = tokens.newSalt();
        long subscriber = subscriberWithSalt("HK", "Asia/Hong_Kong", 9, salt, "linkedin");
        String changeId = change(1, LocalDate.now().plusDays(20), PolicyChangeStatus.ACTIVE);
        planner.planTasks();

        subscriptions.unsubscribeByManageToken(tokens.manageToken(salt));

        assertThat(reminders(subscriber, changeId)).hasSize(2)
                .allSatisfy(r -> assertThat(r.status).isEqualTo(ReminderStatus.CANCELLED));
    }

    @Test
    void unsubscribingCancelsPendingFollowUpsToo() throws Exception {
        String salt = tokens.newSalt();
        long subscriber = subscriberWithSalt("HK", "Asia/Hong_Kong", 9, salt, "linkedin");
        String changeId = change(1, LocalDate.now().plusDays(20), PolicyChangeStatus.ACTIVE);
        planner.planTasks();
        markSent(subscriber, changeId, 7);
        revise(changeId, 2, LocalDate.now().plusDays(30), PolicyChangeStatus.ACTIVE);
        planner.planTasks();
        assertThat(followUps(subscriber, changeId)).singleElement()
                .satisfies(f -> assertThat(f.status).isEqualTo(ReminderStatus.PENDING));

        subscriptions.unsubscribeByManageToken(tokens.manageToken(salt));

        assertThat(followUps(subscriber, changeId)).singleElement()
                .satisfies(f -> assertThat(f.status).isEqualTo(ReminderStatus.CANCELLED));
    }

    @Test
    void comingBackPlansTheLeadDaysStillAheadButNeverOneAlreadySent() throws Exception {
        String salt = tokens.newSalt();
        long subscriber = subscriberWithSalt("HK", "Asia/Hong_Kong", 9, salt, "linkedin");
        String changeId = change(1, LocalDate.now().plusDays(10), PolicyChangeStatus.ACTIVE);
        String alreadyReminded = change(1, LocalDate.now().plusDays(12), PolicyChangeStatus.ACTIVE);
        planner.planTasks();
        markSent(subscriber, alreadyReminded, 7);
        subscriptions.unsubscribeByManageToken(tokens.manageToken(salt));
        assertThat(reminders(subscriber, changeId)).extracting(r -> r.status)
                .containsOnly(ReminderStatus.CANCELLED);

        subscriptions.resubscribe(tokens.manageToken(salt));

        awaitPending(subscriber, changeId, 2);
        assertThat(reminders(subscriber, changeId)).extracting(r -> r.leadDay, r -> r.status)
                .containsExactlyInAnyOrder(Tuple.tuple(7, ReminderStatus.PENDING),
                        Tuple.tuple(1, ReminderStatus.PENDING));
        awaitPending(subscriber, alreadyReminded, 1);
        assertThat(reminders(subscriber, alreadyReminded)).extracting(r -> r.leadDay, r -> r.status)
                .containsExactlyInAnyOrder(Tuple.tuple(7, ReminderStatus.SENT),
                        Tuple.tuple(1, ReminderStatus.PENDING));
    }

    @Test
    void aChangeTheSubscriberOptedOutOfNeverComesBack() throws Exception {
        String salt = tokens.newSalt();
        long subscriber = subscriberWithSalt("HK", "Asia/Hong_Kong", 9, salt, "linkedin");
        String optedOutOf = change(1, LocalDate.now().plusDays(10), PolicyChangeStatus.ACTIVE);
        String other = change(1, LocalDate.now().plusDays(10), PolicyChangeStatus.ACTIVE);
        planner.planTasks();
        optedOut.stopReminders(subscriber, optedOutOf);
        subscriptions.unsubscribeByManageToken(tokens.manageToken(salt));

        subscriptions.resubscribe(tokens.manageToken(salt));
        awaitPending(subscriber, other, 2);
        planner.planSubscriber(subscriber);
        // A later revision of the change re-plans its whole audience: not them either.
        revise(optedOutOf, 2, LocalDate.now().plusDays(11), PolicyChangeStatus.ACTIVE);
        planner.planTasks();

        assertThat(reminders(subscriber, optedOutOf)).hasSize(2)
                .allSatisfy(r -> assertThat(r.status).isEqualTo(ReminderStatus.CANCELLED));
    }

    @Test
    void aSubscriptionChangeRecordsItsPlanningInItsOwnTransaction() {
        String salt = tokens.newSalt();
        long subscriber = subscriberWithSalt("HK", "Asia/Hong_Kong", 9, salt, "linkedin");
        subscriptions.unsubscribeByManageToken(tokens.manageToken(salt));

        long recorded = QuarkusTransaction.requiringNew().call(() -> {
            subscriptions.resubscribe(tokens.manageToken(salt));
            return subscriberPlannings(subscriber);
        });

        assertThat(recorded).isEqualTo(1);
    }

    /** The process stopped right after the commit: the recorded planning is all that is left, and the poll finds it. */
    @Test
    void aSubscriberPlanningLeftByACrashIsWorkedOffByThePoll() throws Exception {
        String changeId = change(1, LocalDate.now().plusDays(20), PolicyChangeStatus.ACTIVE);
        planner.planTasks();
        long confirmedJustBeforeTheCrash = subscriber("HK", "Asia/Hong_Kong", 9, "linkedin");
        QuarkusTransaction.requiringNew().run(() -> em().createNativeQuery("insert into subscriber_planning "
                + "(subscription_id, created_at) values (?1, current_timestamp)")
                .setParameter(1, confirmedJustBeforeTheCrash).executeUpdate());
        assertThat(reminders(confirmedJustBeforeTheCrash, changeId)).isEmpty();

        planner.planSubscribers();

        assertThat(reminders(confirmedJustBeforeTheCrash, changeId)).extracting(r -> r.status)
                .containsExactly(ReminderStatus.PENDING, ReminderStatus.PENDING);
        assertThat(QuarkusTransaction.requiringNew().call(() -> subscriberPlannings(confirmedJustBeforeTheCrash)))
                .isZero();
    }

    private static long subscriberPlannings(long subscriber) {
        return ((Number) em().createNativeQuery("select count(*) from subscriber_planning where subscription_id = ?1")
                .setParameter(1, subscriber).getSingleResult()).longValue();
    }

    private static jakarta.persistence.EntityManager em() {
        return Reminder.getEntityManager();
    }

    /**
     * An audience of several windows: every subscriber gets each lead day once, and a revision replaces what is pending
     * in every window and keeps what was sent.
     */
    @Test
    void aLargeAudienceIsPlannedWindowByWindowAndARevisionReplacesWhatIsPending() throws Exception {
        String prefix = "plan-crowd-" + UUID.randomUUID();
        int audience = ReminderPlanner.WINDOW * 11 / 10; // whatever ids it gets, it spans at least two windows
        Crowd.subscribers(database, prefix, audience, "HK", "Asia/Hong_Kong", "linkedin");
        try {
            String changeId = change(1, LocalDate.now().plusDays(20), PolicyChangeStatus.ACTIVE);
            planner.planTasks();
            assertThat(crowdRows(prefix, changeId)).containsExactly(Map.entry("1 PENDING", 2L * audience));

            Crowd.markSent(database, prefix, changeId, 7, 100);
            revise(changeId, 2, LocalDate.now().plusDays(30), PolicyChangeStatus.ACTIVE);
            planner.planTasks();

            assertThat(crowdRows(prefix, changeId)).containsOnly(Map.entry("1 SENT", 100L),
                    Map.entry("2 PENDING", 2L * audience - 100));
            assertThat(repeatedLeadDays(prefix, changeId)).isZero();
            assertThat(tasks(changeId)).isZero();
        } finally {
            QuarkusTransaction.requiringNew().run(() -> Subscription.delete("email like ?1", prefix + "-%"));
        }
    }

    /** The crowd's reminders of the change, counted by revision and status. */
    private Map<String, Long> crowdRows(String prefix, String changeId) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection connection = database.getConnection(); PreparedStatement query = connection.prepareStatement(
                "select r.revision, r.status, count(*) from reminder r join subscription s on s.id = r.subscription_id "
                        + "where s.email like ? and r.change_id = ? group by r.revision, r.status")) {
            query.setString(1, prefix + "-%");
            query.setString(2, changeId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getInt(1) + " " + rows.getString(2), rows.getLong(3));
                }
            }
        }
        return counts;
    }

    private long repeatedLeadDays(String prefix, String changeId) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement query = connection.prepareStatement(
                "select count(*) from (select r.subscription_id, r.lead_day from reminder r join subscription s "
                        + "on s.id = r.subscription_id where s.email like ? and r.change_id = ? "
                        + "group by r.subscription_id, r.lead_day having count(*) > 1) repeated")) {
            query.setString(1, prefix + "-%");
            query.setString(2, changeId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static void awaitPending(long subscriber, String changeId, int count) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (reminders(subscriber, changeId).stream().filter(r -> r.status == ReminderStatus.PENDING).count() < count
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static void markSent(long subscriber, String changeId, int leadDay) {
        QuarkusTransaction.requiringNew().run(() -> Reminder.update("status = ?1, announcedEffective = ?2 "
                + "where subscriptionId = ?3 and changeId = ?4 and leadDay = ?5", ReminderStatus.SENT,
                PolicyChange.findByChangeId(changeId).orElseThrow().effectiveKey(), subscriber, changeId, leadDay));
    }

    private static List<FollowUp> followUps(long subscriber, String changeId) {
        return QuarkusTransaction.requiringNew().call(() -> FollowUp.<FollowUp>list(
                "subscriptionId = ?1 and changeId = ?2", subscriber, changeId));
    }

    private static Instant at(LocalDate day, int hour, String zone) {
        return day.atTime(hour, 0).atZone(ZoneId.of(zone)).toInstant();
    }

    private static List<Instant> due(long subscriber, String changeId) {
        return reminders(subscriber, changeId).stream().map(r -> r.dueAt).sorted().toList();
    }

    private static List<Reminder> reminders(long subscriber, String changeId) {
        return QuarkusTransaction.requiringNew().call(() -> Reminder.<Reminder>list(
                "subscriptionId = ?1 and changeId = ?2", subscriber, changeId));
    }

    private static long tasks(String changeId) {
        return QuarkusTransaction.requiringNew().call(() -> PlanningTask.count("changeId", changeId));
    }

    private long subscriber(String country, String zone, int hour, String... platforms) {
        return subscriberWithSalt(country, zone, hour, tokens.newSalt(), platforms);
    }

    private long subscriberWithSalt(String country, String zone, int hour, String salt, String... platforms) {
        return Fixtures.subscriber(tokens, salt, "plan-" + UUID.randomUUID() + "@example.org", country, zone, hour,
                "en", SubscriptionStatus.ACTIVE, platforms);
    }

    private static String change(int revision, LocalDate effective, PolicyChangeStatus status) throws Exception {
        String changeId = "plan-" + UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> {
            PolicyChange change = new PolicyChange();
            change.changeId = changeId;
            change.source = "https://www.pcpd.org.hk";
            change.platforms.add("linkedin");
            change.countries.addAll(List.of("HK", "DE", "NO"));
            set(change, revision, effective, status);
            change.persist();
        });
        return changeId;
    }

    private static void revise(String changeId, int revision, LocalDate effective, PolicyChangeStatus status) {
        QuarkusTransaction.requiringNew().run(() -> set(PolicyChange.findByChangeId(changeId).orElseThrow(),
                revision, effective, status));
    }

    private static void set(PolicyChange change, int revision, LocalDate effective, PolicyChangeStatus status) {
        change.revision = revision;
        change.status = status;
        change.title = "Planning " + change.changeId;
        change.effectiveDate = effective;
        change.receivedAt = Instant.now();
        try {
            change.data = new ObjectMapper().writeValueAsString(Map.of("changeId", change.changeId,
                    "revision", revision, "title", change.title, "optOut",
                    Map.of("steps", List.of("Turn it off"), "url", "https://example.org")));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        PlanningTask task = new PlanningTask();
        task.changeId = change.changeId;
        task.revision = revision;
        task.createdAt = Instant.now();
        task.persist();
    }
}
