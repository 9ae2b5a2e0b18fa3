package org.optout.notifier.reminder;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.optout.notifier.config.TestClock;
import org.optout.notifier.infrastructure.Crowd;
import org.optout.notifier.infrastructure.Fixtures;
import org.optout.notifier.policy.PolicyChange;

/**
 * Through the database, the admin API and the metrics: a backlog that cannot all leave before its change's deadline
 * is projected late (negative margin, the reminders that would miss it counted, the alert's gauge up), and one that
 * can is projected in time. The test suite has no quota, so the rate is the measured one: 60 reminders sent in the
 * last minute while reminders waited all of it. Sending is paused meanwhile, so nothing moves.
 */
@QuarkusTest
class DeadlineProjectionTest {

    private static final String ADMIN_PASSWORD = "test-admin-password-not-secret";
    /** A country no other test signs anybody up in, so that no other test's subscriber matches these changes. */
    private static final String COUNTRY = "AQ";

    @Inject
    TestClock clock;

    @Inject
    AgroalDataSource database;

    @Inject
    DeadlineProjection projection;

    private final List<String> changes = new ArrayList<>();

    /**
     * Leaves nothing that other tests would meet: their clocks move days ahead, where these reminders would fall due,
     * and their subscribers would be planned against these changes.
     */
    @AfterEach
    void removeTheChangesAndResumeSending() {
        QuarkusTransaction.requiringNew().run(() -> {
            Reminder.delete("changeId in ?1", changes);
            changes.forEach(id -> PolicyChange.findByChangeId(id).ifPresent(PolicyChange::delete));
        });
        admin().post("/api/admin/sending/resume").then().statusCode(200);
        clock.reset();
    }

    @Test
    void aBacklogThatCannotLeaveBeforeItsDeadlineIsProjectedLateAndOneThatCanInTime() throws Exception {
        admin().post("/api/admin/sending/pause").then().statusCode(200);
        // A day ahead: what other tests sent lies outside the measured minute.
        clock.advance(Duration.ofDays(1));
        Instant now = clock.instant();
        String sent = "sent-" + UUID.randomUUID();
        String late = "late-" + UUID.randomUUID();
        String inTime = "in-time-" + UUID.randomUUID();
        String crowd = "projection-" + UUID.randomUUID();
        String senders = "projection-sent-" + UUID.randomUUID();
        Crowd.subscribers(database, senders, 60, COUNTRY, "Asia/Hong_Kong", "linkedin");
        change(sent, now.plus(Duration.ofDays(10)));
        Crowd.dueReminders(database, senders, sent, 1, now.minus(Duration.ofMinutes(2)));
        QuarkusTransaction.requiringNew().run(() -> Reminder.update("status = ?1, sentAt = ?2 where changeId = ?3",
                ReminderStatus.SENT, now.minusSeconds(30), sent));
        Crowd.subscribers(database, crowd, 900, COUNTRY, "Asia/Hong_Kong", "linkedin");
        // Waiting for two minutes, 900 at 1 mail/s: the last leaves 15 minutes from now, 5 after the deadline.
        change(late, now.plus(Duration.ofMinutes(10)));
        Crowd.dueReminders(database, crowd, late, 1, now.minus(Duration.ofMinutes(2)));
        // Due tomorrow, after that backlog, three days before its deadline.
        change(inTime, now.plus(Duration.ofDays(4)));
        Crowd.dueReminders(database, crowd, inTime, 7, now.plus(Duration.ofDays(1)));

        JsonPath changes = admin().get("/api/admin/changes").then().statusCode(200).extract().jsonPath();

        Map<String, Object> lateProjection = projection(changes, late);
        assertThat(lateProjection).containsEntry("waiting", 900).containsEntry("mailsPerSecond", 1.0f);
        assertThat(number(lateProjection, "marginSeconds")).as("margin, seconds").isNegative();
        assertThat(number(lateProjection, "late")).as("reminders too late").isBetween(1L, 900L);
        assertThat(projection(changes, sent)).as("nothing waits").isNull();
        Map<String, Object> inTimeProjection = projection(changes, inTime);
        assertThat(inTimeProjection).containsEntry("waiting", 900).containsEntry("late", 0);
        assertThat(number(inTimeProjection, "marginSeconds")).as("margin, seconds").isPositive();

        projection.refresh();
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("(?m)^optout_changes_late(\\{[^}]*\\})? [1-9][0-9]*\\.0$");
        assertThat(metrics).containsPattern(margin(late) + " -[0-9.E]+$");
        assertThat(metrics).containsPattern(margin(inTime) + " [0-9.E]+$");
    }

    private static String margin(String changeId) {
        return "(?m)^optout_change_deadline_margin_seconds\\{[^}]*change=\"" + changeId + "\"[^}]*\\}";
    }

    private static Map<String, Object> projection(JsonPath changes, String changeId) {
        return changes.getMap("find { it.changeId == '" + changeId + "' }.projection");
    }

    private static long number(Map<String, Object> projection, String field) {
        return ((Number) projection.get(field)).longValue();
    }

    private void change(String changeId, Instant effectiveAt) {
        changes.add(changeId);
        Fixtures.linkedInChange(changeId, "Projection", LocalDate.ofInstant(effectiveAt, ZoneOffset.UTC),
                List.of(COUNTRY), false);
        QuarkusTransaction.requiringNew().run(() -> PolicyChange.update("effectiveAt = ?1 where changeId = ?2",
                effectiveAt, changeId));
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType("application/json");
    }
}
