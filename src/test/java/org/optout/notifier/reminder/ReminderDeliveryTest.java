package org.optout.notifier.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import biweekly.Biweekly;
import biweekly.ICalendar;
import biweekly.component.VEvent;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.optout.notifier.config.TestClock;
import org.optout.notifier.outcome.NotificationOutcomes;
import org.optout.notifier.delivery.ReminderMailer;
import org.optout.notifier.infrastructure.Fixtures;
import org.optout.notifier.infrastructure.KafkaBroker;
import org.optout.notifier.infrastructure.SmtpServer;
import org.optout.notifier.subscription.Subscription;
import org.optout.notifier.subscription.SubscriptionStatus;
import org.optout.notifier.subscription.Tokens;

/** Reminders go out through the real SMTP server when the (moved) clock says they are due, once. */
@QuarkusTest
class ReminderDeliveryTest {

    private static final ZoneId HONG_KONG = ZoneId.of("Asia/Hong_Kong");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    ReminderPlanner planner;

    @Inject
    ReminderDispatcher dispatcher;

    @Inject
    TestClock clock;

    @Inject
    Tokens tokens;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aDueReminderIsMailedOnceWithItsStepsAndHeaders() throws Exception {
        LocalDate effective = LocalDate.now().plusDays(20);
        String email = "remind-" + UUID.randomUUID() + "@example.org";
        long subscriber = subscriber(email, "en");
        String changeId = change(effective, "LinkedIn trains AI on your posts");
        planner.planTasks();

        moveClockTo(effective.minusDays(7).atTime(9, 1).atZone(HONG_KONG).toInstant());
        dispatcher.dispatchDue();
        dispatcher.dispatchDue();

        List<MimeMessage> mails = SmtpServer.awaitMessages(email, m -> true, 2, Duration.ofSeconds(2));
        assertThat(mails).hasSize(1);
        MimeMessage mail = mails.get(0);
        Reminder sent = reminder(subscriber, changeId, 7);
        assertThat(sent.status).isEqualTo(ReminderStatus.SENT);
        assertThat(reminder(subscriber, changeId, 1).status).isEqualTo(ReminderStatus.PENDING);
        assertThat(mail.getSubject()).isEqualTo("Act by " + java.time.format.DateTimeFormatter
                .ofLocalizedDate(java.time.format.FormatStyle.MEDIUM).withLocale(java.util.Locale.UK)
                .format(effective.minusDays(1)) + ": LinkedIn trains AI on your posts");
        assertThat(mail.getHeader(ReminderMailer.REMINDER_IDS_HEADER)[0]).isEqualTo(String.valueOf(sent.id));
        assertThat(mail.getHeader("Message-ID")).containsExactly("<reminders-" + sent.id + "@optout-notifier>");
        assertThat(mail.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(mail.getHeader("List-Unsubscribe")[0]).contains("/unsubscribe/");
        assertThat(SmtpServer.text(mail)).contains("1. Open Settings & Privacy").contains("2. Turn it off")
                .contains("https://www.linkedin.com/mypreferences")
                .contains("/opted-out/");

        ICalendar calendar = Biweekly.parse(attachment(mail, "opt-out-deadlines.ics")).first();
        assertThat(calendar.getMethod().getValue()).isEqualTo("PUBLISH");
        VEvent event = calendar.getEvents().get(0);
        assertThat(event.getUid().getValue()).isEqualTo(changeId + "@optout-notifier");
        assertThat(event.getSummary().getValue()).isEqualTo("LinkedIn trains AI on your posts");
        assertThat(event.getDateStart().getValue().hasTime()).isFalse();
        assertThat(event.getDateStart().getValue().toInstant().atZone(ZoneId.systemDefault()).toLocalDate())
                .isEqualTo(effective.minusDays(1));
        assertThat(event.getAlarms()).hasSize(1);

        var outcome = KafkaBroker.companion().consumeStrings()
                .fromTopics(NotificationOutcomes.CHANNEL, records -> records.select()
                        .where(r -> changeId.equals(r.key()) && r.value().contains(NotificationOutcomes.SENT_TYPE))
                        .select().first())
                .awaitCompletion(WAIT).getFirstRecord();
        var data = new ObjectMapper().readTree(outcome.value()).path("data");
        assertThat(data.path("leadDay").asInt()).isEqualTo(7);
        assertThat(data.path("revision").asInt()).isEqualTo(1);
        assertThat(data.path("subscriber").asText()).hasSize(32);
        assertThat(outcome.value()).doesNotContain("@");
    }

    private static String attachment(MimeMessage mail, String name) throws Exception {
        return attachment((Multipart) mail.getContent(), name);
    }

    private static String attachment(Multipart multipart, String name) throws Exception {
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (name.equals(part.getFileName())) {
                return new String(part.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            if (part.getContent() instanceof Multipart nested) {
                String found = attachment(nested, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    @Test
    void remindersDueTogetherGoOutAsOneDigestInTheSubscribersLanguage() throws Exception {
        LocalDate effective = LocalDate.now().plusDays(20);
        String email = "digest-" + UUID.randomUUID() + "@example.org";
        long subscriber = subscriber(email, "zh-HK");
        String first = change(effective, "First change");
        String second = change(effective, "Second change");
        planner.planTasks();

        moveClockTo(effective.minusDays(7).atTime(9, 1).atZone(HONG_KONG).toInstant());
        dispatcher.dispatchDue();

        MimeMessage mail = SmtpServer.awaitMessages(email, m -> true, 1, WAIT).get(0);
        assertThat(mail.getSubject()).startsWith("2 個退出限期");
        assertThat(mail.getHeader(ReminderMailer.REMINDER_IDS_HEADER)[0].split(",")).containsExactlyInAnyOrder(
                String.valueOf(reminder(subscriber, first, 7).id), String.valueOf(reminder(subscriber, second, 7).id));
        assertThat(SmtpServer.text(mail)).contains("First change").contains("Second change").contains("如何退出");
        // The HTML is rendered once as ASCII with character references, so it goes as it is rather than encoded per mail.
        BodyPart html = SmtpServer.part(mail, "text/html");
        assertThat(html.getHeader("Content-Transfer-Encoding")).containsExactly("7bit");
        assertThat(referencesResolved(html.getContent().toString())).contains("如何退出").contains("First change");
    }

    private static String referencesResolved(String html) {
        return java.util.regex.Pattern.compile("&#(\\d+);").matcher(html)
                .replaceAll(reference -> Character.toString(Integer.parseInt(reference.group(1))));
    }

    @Test
    void theOptedOutButtonStopsOnlyThatChange() throws Exception {
        LocalDate effective = LocalDate.now().plusDays(20);
        String email = "opted-" + UUID.randomUUID() + "@example.org";
        long subscriber = subscriber(email, "en");
        String done = change(effective, "Already refused");
        String other = change(effective, "Still to do");
        planner.planTasks();
        String salt = QuarkusTransaction.requiringNew().call(() -> Subscription.<Subscription>findById(subscriber)
                .tokenSalt);
        String page = "/opted-out/" + tokens.unsubscribeToken(salt) + "/" + done;

        io.restassured.response.Response ask = io.restassured.RestAssured.given().get(page);
        ask.then().statusCode(200).body(org.hamcrest.Matchers.containsString("Already refused"));
        assertThat(reminder(subscriber, done, 7).status).as("a GET changes nothing").isEqualTo(ReminderStatus.PENDING);
        java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"")
                .matcher(ask.asString());
        assertThat(csrf.find()).isTrue();
        io.restassured.RestAssured.given().cookie("csrf-token", ask.cookie("csrf-token"))
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", csrf.group(1))
                .post(page).then().statusCode(200);

        assertThat(reminder(subscriber, done, 7).status).isEqualTo(ReminderStatus.CANCELLED);
        assertThat(reminder(subscriber, done, 1).status).isEqualTo(ReminderStatus.CANCELLED);
        assertThat(reminder(subscriber, other, 7).status).isEqualTo(ReminderStatus.PENDING);
    }

    @Test
    void nothingGoesOutAfterTheDeadline() throws Exception {
        LocalDate effective = LocalDate.now().plusDays(20);
        String email = "late-" + UUID.randomUUID() + "@example.org";
        long subscriber = subscriber(email, "en");
        String changeId = change(effective, "Too late");
        planner.planTasks();

        moveClockTo(effective.atStartOfDay(HONG_KONG).toInstant().plusSeconds(60));
        dispatcher.dispatchDue();

        assertThat(reminder(subscriber, changeId, 7).status).isEqualTo(ReminderStatus.FAILED);
        assertThat(reminder(subscriber, changeId, 1).status).isEqualTo(ReminderStatus.FAILED);
        assertThat(reminder(subscriber, changeId, 1).failure).isEqualTo("deadline-passed");
        assertThat(SmtpServer.awaitMessages(email, m -> true, 1, Duration.ofSeconds(1))).isEmpty();
    }

    private void moveClockTo(Instant instant) {
        clock.advance(Duration.between(clock.instant(), instant));
    }

    private static Reminder reminder(long subscriber, String changeId, int leadDay) {
        return QuarkusTransaction.requiringNew().call(() -> Reminder.<Reminder>find(
                "subscriptionId = ?1 and changeId = ?2 and leadDay = ?3", subscriber, changeId, leadDay)
                .firstResult());
    }

    private long subscriber(String email, String language) {
        return Fixtures.subscriber(tokens, tokens.newSalt(), email, "HK", HONG_KONG.getId(), 9, language,
                SubscriptionStatus.ACTIVE, "linkedin");
    }

    private static String change(LocalDate effective, String title) {
        String changeId = "deliver-" + UUID.randomUUID();
        Fixtures.change(changeId, title, effective, "linkedin", List.of("HK"), Map.of("changeId", changeId,
                "revision", 1, "title", title, "platforms", List.of("linkedin"), "regions", List.of("HK"),
                "effectiveDate", effective.toString(),
                "optOut", Map.of("steps", List.of("Open Settings & Privacy", "Turn it off"),
                        "url", "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement")), true);
        return changeId;
    }
}
