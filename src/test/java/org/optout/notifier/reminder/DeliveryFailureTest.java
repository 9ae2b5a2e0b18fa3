package org.optout.notifier.reminder;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.optout.notifier.config.NotifierConfig;
import org.optout.notifier.config.TestClock;
import org.optout.notifier.outcome.NotificationOutcomes;
import org.optout.notifier.infrastructure.Fixtures;
import org.optout.notifier.infrastructure.KafkaBroker;
import org.optout.notifier.infrastructure.SmtpFaults;
import org.optout.notifier.infrastructure.SmtpFaults.Fault;
import org.optout.notifier.infrastructure.SmtpFaults.Stage;
import org.optout.notifier.infrastructure.SmtpServer;
import org.optout.notifier.subscription.Subscription;
import org.optout.notifier.subscription.SubscriptionStatus;
import org.optout.notifier.subscription.SuppressionList;
import org.optout.notifier.subscription.Tokens;

/**
 * What the dispatcher does when the relay says no (through {@link SmtpFaults} in front of the real SMTP server): a relay
 * refusing for an hour delays reminders and loses none; one refusing until the deadline fails them with an outcome;
 * a mailbox that does not exist fails them at once and, at the second time, suppresses the address, while a relay
 * refusing on policy or the sender suppresses nobody; an address suppressed by a bounce or complaint notice through
 * the admin API gets nothing; nothing goes out after its deadline or to someone no longer subscribed.
 */
@QuarkusTest
class DeliveryFailureTest {

    private static final ZoneId HONG_KONG = ZoneId.of("Asia/Hong_Kong");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ADMIN_PASSWORD = "test-admin-password-not-secret";

    @Inject
    ReminderPlanner planner;

    @Inject
    ReminderDispatcher dispatcher;

    @Inject
    TestClock clock;

    @Inject
    Tokens tokens;

    @Inject
    SuppressionList suppressions;

    @Inject
    MeterRegistry registry;

    @Inject
    NotifierConfig config;

    @AfterEach
    void recover() {
        SmtpFaults.clear();
        clock.reset();
    }

    @Test
    void aRelayRefusingForAnHourDelaysTheReminderAndLosesNothing() throws Exception {
        LocalDate effective = LocalDate.now().plusDays(20);
        String email = "refused-" + UUID.randomUUID() + "@example.org";
        long subscriber = subscriber(email);
        String changeId = change(effective);
        planner.planTasks();
        Instant due = effective.minusDays(7).atTime(9, 0).atZone(HONG_KONG).toInstant();

        SmtpFaults.refuseAll(true);
        moveClockTo(due.plusSeconds(1));
        dispatcher.dispatchDue();
        Reminder deferred = reminder(subscriber, changeId, 7);
        assertThat(deferred.status).isEqualTo(ReminderStatus.PENDING);
        assertThat(deferred.attempts).isEqualTo(1);
        assertThat(deferred.failure).startsWith("SMTP 451");
        assertThat(deferred.nextAttemptAt).isBetween(clock.instant().plusSeconds(44), clock.instant().plusSeconds(76));
        dispatcher.dispatchDue();
        assertThat(reminder(subscriber, changeId, 7).attempts).as("not retried before its next attempt").isEqualTo(1);

        for (int minute = 5; minute <= 60; minute += 5) {
            clock.advance(Duration.ofMinutes(5));
            dispatcher.dispatchDue();
        }
        Reminder stillDeferred = reminder(subscriber, changeId, 7);
        assertThat(stillDeferred.status).isEqualTo(ReminderStatus.PENDING);
        assertThat(stillDeferred.attempts).isBetween(4, 7);

        SmtpFaults.refuseAll(false);
        for (int minute = 5; minute <= 40; minute += 5) {
            clock.advance(Duration.ofMinutes(5));
            dispatcher.dispatchDue();
        }
        assertThat(SmtpServer.awaitMessages(email, m -> true, 2, Duration.ofSeconds(2))).hasSize(1);
        assertThat(reminder(subscriber, changeId, 7).status).isEqualTo(ReminderStatus.SENT);
    }

    @Test
    void aRelayRefusingUntilTheDeadlineFailsTheReminderShortlyBeforeIt() throws Exception {
        LocalDate effective = LocalDate.now().plusDays(20);
        String email = "exhausted-" + UUID.randomUUID() + "@example.org";
        long subscriber = subscriber(email);
        String changeId = change(effective);
        planner.planTasks();
        Instant deadline = effective.atStartOfDay(HONG_KONG).toInstant();

        SmtpFaults.refuseAll(true);
        moveClockTo(effective.minusDays(1).atTime(9, 0).atZone(HONG_KONG).toInstant());
        Reminder lastDay;
        do {
            clock.advance(Duration.ofMinutes(10));
            dispatcher.dispatchDue();
            lastDay = reminder(subscriber, changeId, 1);
        } while (lastDay.status == ReminderStatus.PENDING && clock.instant().isBefore(deadline));

        assertThat(lastDay.status).isEqualTo(ReminderStatus.FAILED);
        assertThat(clock.instant()).as("given up before the deadline").isBefore(deadline);
        JsonNode outcome = failedOutcome(changeId, subscriber);
        assertThat(outcome.path("reason").asText()).isEqualTo("retries-exhausted");
        assertThat(outcome.path("smtpReplyCode").asInt()).isEqualTo(451);
        assertThat(outcome.path("leadDay").asInt()).isIn(7, 1);
        assertThat(outcome.toString()).doesNotContain("@");
    }

    @Test
    void aMailboxThatDoesNotExistFailsAtOnceAndIsSuppressedTheSecondTime() throws Exception {
        LocalDate effective = LocalDate.now().plusDays(20);
        String email = SmtpFaults.BOUNCING_PREFIX + UUID.randomUUID() + "@example.org";
        long subscriber = subscriber(email);
        String first = change(effective);
        String second = change(effective.plusDays(1));
        String third = change(effective.plusDays(2));
        planner.planTasks();

        moveClockTo(effective.minusDays(7).atTime(9, 1).atZone(HONG_KONG).toInstant());
        assertThat(dispatchUntilAnswered(subscriber, first, 7).status).isEqualTo(ReminderStatus.FAILED);
        assertThat(reminder(subscriber, first, 7).failure).startsWith("SMTP 550");
        assertThat(bounces(subscriber)).isEqualTo(1);
        assertThat(suppressions.blockingMailTo(List.of(email)).contains(email)).as("one bounce is not enough").isFalse();
        JsonNode outcome = failedOutcome(first, subscriber);
        assertThat(outcome.path("reason").asText()).isEqualTo("rejected");
        assertThat(outcome.path("smtpReplyCode").asInt()).isEqualTo(550);

        clock.advance(Duration.ofDays(1));
        assertThat(dispatchUntilAnswered(subscriber, second, 7).status).isEqualTo(ReminderStatus.FAILED);
        assertThat(suppressions.blockingMailTo(List.of(email)).contains(email)).isTrue();

        clock.advance(Duration.ofDays(1));
        dispatcher.dispatchDue();
        assertThat(reminder(subscriber, third, 7).failure).isEqualTo("suppressed");
        assertThat(failedOutcome(third, subscriber).path("reason").asText()).isEqualTo("suppressed");
    }

    @Test
    void aRelayRefusingOnPolicyOrTheSenderSuppressesNobodyAndTheMailGoesOutOnceItRecovers() throws Exception {
        LocalDate effective = LocalDate.now().plusDays(20);
        String email = "policy-" + UUID.randomUUID() + "@example.org";
        long subscriber = subscriber(email);
        String changeId = change(effective);
        planner.planTasks();
        double refusedAtData = refusals("relay", "data");
        double refusedSender = refusals("relay", "mail_from");

        SmtpFaults.always(Stage.DATA_END, "policy-", Fault.reply("554 5.7.1 Message refused by content policy"));
        moveClockTo(effective.minusDays(7).atTime(9, 1).atZone(HONG_KONG).toInstant());
        Reminder refused = dispatchUntilAnswered(subscriber, changeId, 7);
        assertThat(refused.status).isEqualTo(ReminderStatus.PENDING);
        assertThat(refused.failure).isEqualTo("SMTP 554 5.7.1 at DATA");
        moveClockTo(refused.nextAttemptAt);
        assertThat(dispatchUntilAnswered(subscriber, changeId, 7).attempts).isEqualTo(2);
        assertThat(refusals("relay", "data")).isGreaterThanOrEqualTo(refusedAtData + 2);

        SmtpFaults.clear();
        SmtpFaults.always(Stage.MAIL_FROM, null, Fault.reply("553 5.1.8 Sender address rejected: domain not found"));
        moveClockTo(reminder(subscriber, changeId, 7).nextAttemptAt);
        Reminder senderRefused = dispatchUntilAnswered(subscriber, changeId, 7);
        assertThat(senderRefused.status).isEqualTo(ReminderStatus.PENDING);
        assertThat(senderRefused.failure).isEqualTo("SMTP 553 5.1.8 at MAIL_FROM");
        assertThat(refusals("relay", "mail_from")).isGreaterThan(refusedSender);
        assertThat(bounces(subscriber)).as("no refusal judged the mailbox").isZero();
        assertThat(suppressions.blockingMailTo(List.of(email)).contains(email)).isFalse();
        assertThat(SmtpServer.awaitMessages(email, m -> true, 1, Duration.ofMillis(500))).isEmpty();

        SmtpFaults.clear();
        moveClockTo(senderRefused.nextAttemptAt);
        assertThat(dispatchUntilAnswered(subscriber, changeId, 7).status).isEqualTo(ReminderStatus.SENT);
        assertThat(SmtpServer.awaitMessages(email, m -> true, 2, Duration.ofSeconds(2))).hasSize(1);
    }

    /**
     * The batch starts before the deadline; the sends on every connection are held up by the relay until after it:
     * the mails that had not started must not go.
     */
    @Test
    void aMailAboutToGoAfterTheDeadlineIsNotSentWhateverTheRoundSawAtItsStart() throws Exception {
        LocalDate effective = LocalDate.now().plusDays(20);
        int connections = config.delivery().connections();
        List<Long> ours = java.util.stream.IntStream.range(0, connections + 2)
                .mapToObj(i -> subscriber("stale-" + i + "-" + UUID.randomUUID() + "@example.org")).toList();
        String changeId = change(effective);
        planner.planTasks();
        Instant deadline = effective.atStartOfDay(HONG_KONG).toInstant();
        moveClockTo(deadline.minusSeconds(30));

        SmtpFaults.next(connections, Stage.DATA_END, null, Fault.stall(Duration.ofSeconds(2)));
        var round = java.util.concurrent.CompletableFuture.runAsync(dispatcher::dispatchDue);
        assertThat(SmtpFaults.awaitStall(WAIT)).as("a mail is held up").isTrue();
        moveClockTo(deadline.plusSeconds(1));
        round.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

        List<Reminder> lastDay = ours.stream().map(subscriber -> reminder(subscriber, changeId, 1)).toList();
        assertThat(lastDay).filteredOn(r -> r.status == ReminderStatus.SENT).as("only the held-up mails")
                .hasSizeLessThanOrEqualTo(connections);
        assertThat(lastDay).filteredOn(r -> r.status == ReminderStatus.FAILED)
                .isNotEmpty().allSatisfy(r -> assertThat(r.failure).isEqualTo("deadline-passed"));
    }

    /** Rows a race left pending for someone who has gone (a revision planned while they unsubscribed). */
    @Test
    void nothingQueuedIsMailedToSomeoneNoLongerSubscribed() throws Exception {
        LocalDate effective = LocalDate.now().plusDays(20);
        String email = "gone-" + UUID.randomUUID() + "@example.org";
        long subscriber = subscriber(email);
        String changeId = change(effective);
        planner.planTasks();
        QuarkusTransaction.requiringNew().run(() -> {
            Subscription.<Subscription>findById(subscriber).status = SubscriptionStatus.UNSUBSCRIBED;
            FollowUp followUp = new FollowUp();
            followUp.subscriptionId = subscriber;
            followUp.changeId = changeId;
            followUp.revision = 2;
            followUp.kind = FollowUp.Kind.DEADLINE_MOVED;
            followUp.status = ReminderStatus.PENDING;
            followUp.nextAttemptAt = Instant.now();
            followUp.createdAt = Instant.now();
            followUp.persist();
        });

        moveClockTo(effective.minusDays(7).atTime(9, 1).atZone(HONG_KONG).toInstant());
        dispatcher.dispatchDue();

        assertThat(reminder(subscriber, changeId, 7).status).isEqualTo(ReminderStatus.CANCELLED);
        assertThat(QuarkusTransaction.requiringNew().call(() -> FollowUp.<FollowUp>find("subscriptionId", subscriber)
                .singleResult().status)).isEqualTo(ReminderStatus.CANCELLED);
        assertThat(SmtpServer.awaitMessages(email, m -> true, 1, Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void aComplaintNoticeThroughTheAdminApiStopsAllMailUntilLifted() throws Exception {
        LocalDate effective = LocalDate.now().plusDays(20);
        String email = "complains-" + UUID.randomUUID() + "@example.org";
        long subscriber = subscriber(email);
        String changeId = change(effective);
        planner.planTasks();
        Map<String, String> notice = Map.of("email", email.toUpperCase(), "reason", "COMPLAINT");

        given().contentType(ContentType.JSON).body(notice).post("/api/admin/suppressions").then().statusCode(401);
        given().auth().preemptive().basic("admin", "wrong").contentType(ContentType.JSON).body(notice)
                .post("/api/admin/suppressions").then().statusCode(401);
        admin().body(Map.of("email", "not an address", "reason", "BOUNCE")).post("/api/admin/suppressions")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("email"));
        admin().body(notice).post("/api/admin/suppressions").then().statusCode(204);
        admin().get("/api/admin/suppressions").then().statusCode(200)
                .body("COMPLAINED", org.hamcrest.Matchers.greaterThanOrEqualTo(1));

        moveClockTo(effective.minusDays(7).atTime(9, 1).atZone(HONG_KONG).toInstant());
        dispatcher.dispatchDue();
        assertThat(reminder(subscriber, changeId, 7).failure).isEqualTo("suppressed");
        assertThat(SmtpServer.awaitMessages(email, m -> true, 1, Duration.ofMillis(500))).isEmpty();

        admin().body(Map.of("email", email)).post("/api/admin/suppressions/lift").then().statusCode(204);
        admin().body(Map.of("email", email)).post("/api/admin/suppressions/lift").then().statusCode(404);
        clock.advance(Duration.ofDays(6));
        assertThat(dispatchUntilAnswered(subscriber, changeId, 1).status).isEqualTo(ReminderStatus.SENT);
        assertThat(SmtpServer.awaitMessages(email, m -> true, 1, WAIT)).hasSize(1);
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON);
    }

    /** The failed outcome for this subscriber: other tests' subscribers in the same region match the change too. */
    private JsonNode failedOutcome(String changeId, long subscriber) throws Exception {
        String pseudonym = tokens.pseudonym("subscriber:" + subscriber);
        var record = KafkaBroker.companion().consumeStrings()
                .fromTopics(NotificationOutcomes.CHANNEL, records -> records.select()
                        .where(r -> changeId.equals(r.key()) && r.value().contains(NotificationOutcomes.FAILED_TYPE)
                                && r.value().contains(pseudonym))
                        .select().first())
                .awaitCompletion(WAIT).getFirstRecord();
        JsonNode data = new ObjectMapper().readTree(record.value()).path("data");
        try (InputStream schema = Files.newInputStream(Path.of("docs/contract/notification-outcome.schema.json"))) {
            assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema).validate(data))
                    .as("outcome keeps to the published schema").isEmpty();
        }
        return data;
    }

    /**
     * Dispatches until the SMTP server has answered for this reminder. The test relay closes sessions on purpose, which
     * now and then hits the mail client's pool race (a send never answered, see NotifierConfig.Delivery#sendTimeout):
     * that is a transient failure, retried at its next attempt like any other, and this follows it there.
     */
    private Reminder dispatchUntilAnswered(long subscriber, String changeId, int leadDay) {
        Reminder reminder = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            dispatcher.dispatchDue();
            reminder = reminder(subscriber, changeId, leadDay);
            boolean unanswered = reminder.status == ReminderStatus.PENDING && reminder.failure != null
                    && reminder.failure.contains("not reached");
            if (!unanswered) {
                return reminder;
            }
            moveClockTo(reminder.nextAttemptAt);
        }
        return reminder;
    }

    private double refusals(String verdict, String stage) {
        return registry.find("optout.smtp.refusals").tags("verdict", verdict, "stage", stage).counter().count();
    }

    private static int bounces(long subscriber) {
        return QuarkusTransaction.requiringNew().call(() -> Subscription.<Subscription>findById(subscriber).bounces);
    }

    private void moveClockTo(Instant instant) {
        clock.advance(Duration.between(clock.instant(), instant));
    }

    private static Reminder reminder(long subscriber, String changeId, int leadDay) {
        return QuarkusTransaction.requiringNew().call(() -> Reminder.<Reminder>find(
                "subscriptionId = ?1 and changeId = ?2 and leadDay = ?3", subscriber, changeId, leadDay)
                .firstResult());
    }

    private long subscriber(String email) {
        return Fixtures.subscriber(tokens, tokens.newSalt(), email, "HK", HONG_KONG.getId(), 9, "en",
                SubscriptionStatus.ACTIVE, "linkedin");
    }

    private static String change(LocalDate effective) {
        String changeId = "failure-" + UUID.randomUUID();
        Fixtures.linkedInChange(changeId, "Relay trouble", effective, List.of("HK"), true);
        return changeId;
    }
}
