package org.optout.notifier.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.optout.notifier.config.TestClock;
import org.optout.notifier.deployment.MonitoringFilesTest;
import org.optout.notifier.inbox.DeadLetterValue;
import org.optout.notifier.infrastructure.CloudEventRecords;
import org.optout.notifier.infrastructure.Crowd;
import org.optout.notifier.infrastructure.Fixtures;
import org.optout.notifier.infrastructure.KafkaBroker;
import org.optout.notifier.infrastructure.SmtpServer;
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.policy.PolicyChangeConsumer;
import org.optout.notifier.policy.PolicyChanges;
import org.optout.notifier.reminder.Reminder;
import org.optout.notifier.reminder.ReminderDispatcher;
import org.optout.notifier.reminder.ReminderMetrics;
import org.optout.notifier.reminder.ReminderPlanner;
import org.optout.notifier.reminder.ReminderStatus;
import org.optout.notifier.subscription.Subscription;
import org.optout.notifier.subscription.SubscriptionStatus;

/**
 * The operator's controls under /api/admin, through the running application with the real broker, database and
 * SMTP server: refused without credentials; counts; the global pause; the approval gate; dead letters and replay;
 * and the metrics an operator graphs.
 */
@QuarkusTest
class OperatorControlsTest {

    private static final String ADMIN_PASSWORD = "test-admin-password-not-secret";
    private static final String SOURCE = "https://noyb.eu";
    private static final ZoneId MALTA = ZoneId.of("Europe/Malta");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    ReminderPlanner planner;

    @Inject
    ReminderDispatcher dispatcher;

    @Inject
    ReminderMetrics metrics;

    @Inject
    TestClock clock;

    @Inject
    AgroalDataSource database;

    private final String crowd = "gate-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void cleanUp() {
        clock.reset();
        admin().post("/api/admin/sending/resume").then().statusCode(200);
        QuarkusTransaction.requiringNew().run(() -> Subscription.delete("email like ?1", crowd + "-%"));
    }

    @Test
    void everyAdminEndpointRefusesWithoutTheOperatorsCredentials() {
        for (String path : List.of("/api/admin/changes", "/api/admin/subscribers/counts", "/api/admin/sending",
                "/api/admin/dead-letters/policy-changes", "/api/admin/suppressions")) {
            given().get(path).then().statusCode(401);
            // From a network of its own: these refusals must not count against the other tests' logins.
            given().header("X-Forwarded-For", "192.0.2.10").auth().preemptive().basic("admin", "wrong").get(path)
                    .then().statusCode(401);
        }
        for (String path : List.of("/api/admin/sending/pause", "/api/admin/sending/resume",
                "/api/admin/changes/any/approval?revision=1", "/api/admin/dead-letters/policy-changes/0/0/replay",
                "/api/admin/suppressions", "/api/admin/suppressions/lift")) {
            given().post(path).then().statusCode(401);
        }
        assertThat(admin().get("/api/admin/sending").then().statusCode(200).extract().jsonPath().getBoolean("paused"))
                .isFalse();
    }

    @Test
    void aNetworkThatKeepsGuessingThePasswordIsShutOutEvenWithTheRightOne() {
        String guesser = "203.0.113." + (1 + new Random().nextInt(250));
        for (int i = 0; i < AdminLoginThrottle.MAX_FAILURES; i++) {
            given().header("X-Forwarded-For", guesser).auth().preemptive().basic("admin", "guess-" + i)
                    .get("/api/admin/sending").then().statusCode(401);
        }
        given().header("X-Forwarded-For", guesser).auth().preemptive().basic("admin", ADMIN_PASSWORD)
                .get("/api/admin/sending").then().statusCode(429).header("Retry-After", "900")
                .contentType("application/problem+json");
        given().header("X-Forwarded-For", "198.51.100.7").auth().preemptive().basic("admin", ADMIN_PASSWORD)
                .get("/api/admin/sending").then().statusCode(200);
    }

    @Test
    void countsSubscribersByCountryAndPlatformAndRemindersByStatusPerChange() throws Exception {
        JsonPath before = admin().get("/api/admin/subscribers/counts").then().statusCode(200).extract().jsonPath();
        String a = subscriber("MT", SubscriptionStatus.ACTIVE, "linkedin", "facebook");
        subscriber("MT", SubscriptionStatus.ACTIVE, "linkedin");
        subscriber("MT", SubscriptionStatus.UNSUBSCRIBED, "linkedin");
        JsonPath after = admin().get("/api/admin/subscribers/counts").then().statusCode(200).extract().jsonPath();
        assertThat(after.getLong("active") - before.getLong("active")).isEqualTo(2);
        assertThat(count(after, "byCountry.MT") - count(before, "byCountry.MT")).isEqualTo(2);
        assertThat(count(after, "byPlatform.linkedin") - count(before, "byPlatform.linkedin")).isEqualTo(2);
        assertThat(count(after, "byPlatform.facebook") - count(before, "byPlatform.facebook")).isEqualTo(1);
        assertThat(after.prettify()).doesNotContain("@");

        LocalDate effective = LocalDate.now().plusDays(20);
        String changeId = "counted-" + UUID.randomUUID();
        Fixtures.linkedInChange(changeId, "Counted", effective, List.of("MT"), true);
        planner.planTasks();
        assertThat(reminders(changeId)).containsEntry("PENDING", 4).containsEntry("SENT", 0);

        moveClockTo(effective.minusDays(7).atTime(9, 1).atZone(MALTA).toInstant());
        dispatcher.dispatchDue();
        SmtpServer.awaitMessages(a, SmtpServer.subjectContains("Counted"), 1, WAIT);
        assertThat(reminders(changeId)).containsEntry("PENDING", 2).containsEntry("SENT", 2)
                .containsEntry("FAILED", 0).containsEntry("CANCELLED", 0);
    }

    @Test
    void aPauseHoldsEveryMailUntilResumeThenItGoesOutOnce() throws Exception {
        String email = subscriber("MT", SubscriptionStatus.ACTIVE, "linkedin");
        LocalDate effective = LocalDate.now().plusDays(25);
        String changeId = "paused-" + UUID.randomUUID();
        Fixtures.linkedInChange(changeId, "Paused", effective, List.of("MT"), true);
        planner.planTasks();

        admin().post("/api/admin/sending/pause").then().statusCode(200).body("paused", equalTo(true));
        moveClockTo(effective.minusDays(7).atTime(9, 1).atZone(MALTA).toInstant());
        assertThat(dispatcher.dispatchDue()).isZero();
        metrics.refreshBacklog();
        assertThat(SmtpServer.awaitMessages(email, SmtpServer.subjectContains("Paused"), 1, Duration.ofSeconds(2)))
                .isEmpty();
        assertThat(reminders(changeId)).containsEntry("PENDING", 2);
        String scraped = metricsText();
        assertThat(scraped).contains("optout_sending_paused 1.0");
        assertThat(gauge(scraped, "optout_reminders_oldest_due_age_seconds")).isGreaterThan(0);

        admin().post("/api/admin/sending/resume").then().statusCode(200).body("paused", equalTo(false));
        dispatcher.dispatchDue();
        dispatcher.dispatchDue();
        List<MimeMessage> mails = SmtpServer.awaitMessages(email, SmtpServer.subjectContains("Paused"), 2,
                Duration.ofSeconds(3));
        assertThat(mails).hasSize(1);
        assertThat(reminders(changeId)).containsEntry("SENT", 1).containsEntry("PENDING", 1);
    }

    @Test
    void aChangeReachingMoreThanTheThresholdWaitsForApproval() throws Exception {
        Crowd.subscribers(database, crowd, 501, "AD", "Europe/Andorra", "snapchat");
        String changeId = "gated-" + UUID.randomUUID();
        publish(SOURCE, UUID.randomUUID().toString(), change(changeId, "AD", "snapchat"));

        PolicyChange held = awaitChange(changeId);
        assertThat(held.awaitingApproval).isTrue();
        assertThat(held.audience).isEqualTo(501L);
        planner.planTasks();
        assertThat(plannedReminders(changeId)).isZero();
        metrics.refreshBacklog();
        assertThat(gauge(metricsText(), "optout_changes_awaiting_approval")).isGreaterThanOrEqualTo(1);
        JsonPath summary = change(changeId);
        assertThat(summary.getBoolean("awaitingApproval")).isTrue();
        assertThat(summary.getLong("audience")).isEqualTo(501L);

        // Nor does a subscriber confirming meanwhile get its reminders, nor does anything already due go out.
        String late = subscriber("AD", SubscriptionStatus.ACTIVE, "snapchat");
        planner.planSubscriber(QuarkusTransaction.requiringNew().call(() -> Subscription.<Subscription>find("email",
                late).firstResult().id));
        assertThat(plannedReminders(changeId)).isZero();
        assertThat(Crowd.dueReminders(database, crowd, changeId, 7, clock.instant().minusSeconds(60))).isEqualTo(502);
        dispatcher.dispatchDue();
        assertThat(QuarkusTransaction.requiringNew().call(() -> Reminder.count("changeId = ?1 and status = ?2",
                changeId, ReminderStatus.PENDING))).isEqualTo(502L);
        QuarkusTransaction.requiringNew().run(() -> Reminder.delete("changeId", changeId));

        admin().post("/api/admin/changes/" + changeId + "/approval").then().statusCode(400);
        admin().post("/api/admin/changes/" + changeId + "/approval?revision=2").then().statusCode(409);
        admin().post("/api/admin/changes/" + changeId + "/approval?revision=1").then().statusCode(204);
        planner.planTasks();
        assertThat(plannedReminders(changeId)).isEqualTo(2 * 502L);
        assertThat(change(changeId).getBoolean("awaitingApproval")).isFalse();
        admin().post("/api/admin/changes/" + changeId + "/approval?revision=1").then().statusCode(409)
                .contentType("application/problem+json");
        admin().post("/api/admin/changes/no-such-change/approval?revision=1").then().statusCode(404);
    }

    @Test
    void deadLettersAreListedWithTheirReasonAndOneCanBeReplayedThroughTheBroker() throws Exception {
        String rejectedId = UUID.randomUUID().toString();
        Map<String, Object> broken = change("broken-" + UUID.randomUUID(), "MT", "linkedin");
        broken.put("colour", "blue");
        publish(SOURCE, rejectedId, broken);
        JsonPath rejected = awaitDeadLetter(rejectedId);
        assertThat(rejected.getString("reason")).contains("data.colour").contains("unknown-field");
        assertThat(rejected.getString("originalTopic")).isEqualTo(PolicyChangeConsumer.CHANNEL);
        assertThat(rejected.getString("eventSource")).isEqualTo(SOURCE);

        // A record dead-lettered under an earlier configuration (its publisher not yet allowed, say), now acceptable.
        String changeId = "replayed-" + UUID.randomUUID();
        String eventId = UUID.randomUUID().toString();
        ProducerRecord<String, String> letter = CloudEventRecords.structured(PolicyChangeConsumer.DEAD_LETTER_TOPIC,
                changeId, PolicyChangeConsumer.TYPE, SOURCE, eventId,
                PolicyChanges.json(change(changeId, "MT", "linkedin")));
        letter.headers().add("dead-letter-reason", "source: not allowed".getBytes(StandardCharsets.UTF_8));
        letter.headers().add("dead-letter-topic", PolicyChangeConsumer.CHANNEL.getBytes(StandardCharsets.UTF_8));
        KafkaBroker.companion().produceStrings().fromRecords(letter).awaitCompletion(WAIT);
        JsonPath replayable = awaitDeadLetter(eventId);

        admin().post("/api/admin/dead-letters/policy-changes/" + replayable.getInt("partition") + "/"
                + replayable.getLong("offset") + "/replay").then().statusCode(200)
                .body("topic", equalTo(PolicyChangeConsumer.CHANNEL));
        assertThat(awaitChange(changeId).revision).isEqualTo(1);

        admin().post("/api/admin/dead-letters/policy-changes/0/999999999/replay").then().statusCode(404)
                .contentType("application/problem+json");

        // A record too large to keep whole left only its digest: nothing to publish again.
        String digestId = UUID.randomUUID().toString();
        ProducerRecord<String, String> digest = CloudEventRecords.structured(PolicyChangeConsumer.DEAD_LETTER_TOPIC,
                "digest-" + digestId, PolicyChangeConsumer.TYPE, SOURCE, digestId, "{}");
        digest.headers().add(DeadLetterValue.REPLACED_HEADER, "value".getBytes(StandardCharsets.UTF_8));
        KafkaBroker.companion().produceStrings().fromRecords(digest).awaitCompletion(WAIT);
        JsonPath stub = awaitDeadLetter(digestId);
        assertThat(stub.getString("replaced")).isEqualTo("value");
        admin().post("/api/admin/dead-letters/policy-changes/" + stub.getInt("partition") + "/"
                + stub.getLong("offset") + "/replay").then().statusCode(409)
                .contentType("application/problem+json");
        admin().get("/api/admin/dead-letters/nowhere").then().statusCode(404);
        admin().get("/api/admin/dead-letters/policy-changes?limit=0").then().statusCode(400);
    }

    @Test
    void theMetricsAnOperatorGraphsAreExposed() throws Exception {
        String eventId = UUID.randomUUID().toString();
        publish(SOURCE, eventId, Map.of("changeId", "unreadable-" + eventId));
        awaitDeadLetter(eventId);
        metrics.refreshBacklog();
        String scraped = metricsText();
        Set<String> expected = new TreeSet<>(List.of("optout_events_consumed_total", "optout_reminders_planned_total",
                "optout_reminders_sent_total", "optout_reminders_failed_total", "optout_reminders_retried_total",
                "optout_reminders_due", "optout_reminders_oldest_due_age_seconds", "optout_smtp_send_seconds_bucket",
                "optout_sending_paused", "optout_changes_awaiting_approval",
                "kafka_consumer_fetch_manager_records_lag_max"));
        // What the dashboard and the alert rules in deploy/monitoring query must exist too; the projection's series
        // per change exist only while one has reminders waiting and a rate is known (DeadlineProjectionTest).
        expected.addAll(MonitoringFilesTest.referencedMetrics());
        expected.removeAll(List.of("optout_change_deadline_margin_seconds", "optout_change_reminders_late"));
        for (String metric : expected) {
            assertThat(scraped).as(metric).containsPattern("(?m)^" + metric + "[ {]");
        }
    }

    private void moveClockTo(Instant instant) {
        clock.advance(Duration.between(clock.instant(), instant));
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON);
    }

    private String subscriber(String country, SubscriptionStatus status, String... platforms) {
        String email = crowd + "-" + UUID.randomUUID() + "@example.org";
        Fixtures.subscriber(null, null, email, country, MALTA.getId(), 9, "en", status, platforms);
        return email;
    }

    private static long count(JsonPath counts, String path) {
        Object value = counts.get(path);
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static JsonPath change(String changeId) {
        List<Map<String, Object>> changes = admin().get("/api/admin/changes").then().statusCode(200).extract()
                .jsonPath().getList("$");
        Map<String, Object> found = changes.stream().filter(c -> changeId.equals(c.get("changeId"))).findFirst()
                .orElseThrow(() -> new AssertionError("change " + changeId + " not listed"));
        return JsonPath.from(PolicyChanges.json(found));
    }

    private static Map<String, Integer> reminders(String changeId) {
        return change(changeId).getMap("reminders");
    }

    private static long plannedReminders(String changeId) {
        return QuarkusTransaction.requiringNew().call(() -> Reminder.count("changeId", changeId));
    }

    private static Map<String, Object> change(String changeId, String region, String platform) {
        Map<String, Object> data = PolicyChanges.data(changeId, 1);
        data.put("regions", List.of(region));
        data.put("platforms", List.of(platform));
        return data;
    }

    private static void publish(String source, String eventId, Map<String, Object> data) {
        PolicyChanges.publish(KafkaBroker.companion(), PolicyChanges.structured(source, eventId, data));
    }

    private static PolicyChange awaitChange(String changeId) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            var change = QuarkusTransaction.requiringNew().call(() -> PolicyChange.findByChangeId(changeId));
            if (change.isPresent()) {
                return change.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("policy change " + changeId + " not stored");
    }

    private static JsonPath awaitDeadLetter(String eventId) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            List<Map<String, Object>> letters = admin().get("/api/admin/dead-letters/policy-changes?limit=500")
                    .then().statusCode(200).extract().jsonPath().getList("$");
            var letter = letters.stream().filter(l -> eventId.equals(l.get("eventId"))).findFirst();
            if (letter.isPresent()) {
                return JsonPath.from(PolicyChanges.json(letter.get()));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no dead letter for event " + eventId);
    }

    private static String metricsText() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double gauge(String scraped, String name) {
        return scraped.lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(name.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError(name + " not exposed"));
    }
}
