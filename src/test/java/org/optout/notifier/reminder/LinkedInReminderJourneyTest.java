package org.optout.notifier.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.optout.notifier.config.TestClock;
import org.optout.notifier.delivery.FollowUpMailer;
import org.optout.notifier.delivery.ReminderMailer;
import org.optout.notifier.infrastructure.Fixtures;
import org.optout.notifier.infrastructure.KafkaBroker;
import org.optout.notifier.infrastructure.SmtpServer;
import org.optout.notifier.policy.PolicyChangeStatus;
import org.optout.notifier.policy.SampleEvents;
import org.optout.notifier.subscription.SubscriptionStatus;
import org.optout.notifier.subscription.Tokens;

/**
 * The LinkedIn sample through the real broker, database and SMTP server, with the clock moved: Hong Kong, German and
 * Norwegian LinkedIn members are reminded at their own send hour, a US member is not; a revision that moves the date
 * sends those already reminded one "the deadline moved" mail, and the cancellation one "no longer needed" mail.
 */
@QuarkusTest
@Tag("persistence")
class LinkedInReminderJourneyTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SAMPLE = "linkedin-genai-training-2025.json";

    @Inject
    ReminderPlanner planner;

    @Inject
    ReminderDispatcher dispatcher;

    @Inject
    TestClock clock;

    @Inject
    Tokens tokens;

    private final KafkaCompanion kafka = KafkaBroker.companion();

    /** A member: where they live, when they want mail, and their address. */
    private record Member(String email, String country, ZoneId zone, int sendHour, String language, long id) {
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void membersAreRemindedAtTheirLocalHourAndToldWhenTheDateMovesAndWhenItIsCalledOff() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Member hongKong = member("hk-" + run, "HK", "Asia/Hong_Kong", 9, "zh-HK");
        Member germany = member("de-" + run, "DE", "Europe/Berlin", 8, "en");
        Member norway = member("no-" + run, "NO", "Europe/Oslo", 19, "en");
        Member unitedStates = member("us-" + run, "US", "America/New_York", 9, "en");
        LocalDate effective = LocalDate.now(ZoneId.of("UTC")).plusDays(20);
        String changeId = SampleEvents.publish(kafka, SAMPLE, "linkedin-journey-" + run, effective, null);
        planner.planTasks();

        for (Member member : List.of(hongKong, germany, norway)) {
            Instant due = effective.minusDays(7).atTime(member.sendHour(), 0).atZone(member.zone()).toInstant();
            moveClockTo(due.minusSeconds(60));
            dispatcher.dispatchDue();
            assertThat(SmtpServer.awaitMessages(member.email(), m -> true, 1, Duration.ofMillis(300)))
                    .as("nothing before %s's hour", member.country()).isEmpty();
            moveClockTo(due.plusSeconds(60));
            dispatcher.dispatchDue();
            MimeMessage mail = SmtpServer.awaitMessages(member.email(), m -> true, 1, WAIT).get(0);
            assertReminder(mail, member, effective);
        }
        assertThat(QuarkusTransaction.requiringNew().call(() -> Reminder.count("subscriptionId", unitedStates.id())))
                .as("the US is not among the sample's regions").isZero();

        LocalDate moved = effective.plusDays(3);
        SampleEvents.publish(kafka, SAMPLE, changeId, moved, null);
        planner.planTasks();
        dispatcher.dispatchDue();
        for (Member member : List.of(hongKong, germany, norway)) {
            MimeMessage mail = SmtpServer.awaitMessages(member.email(),
                    m -> header(m, FollowUpMailer.FOLLOW_UP_IDS_HEADER) != null, 1, WAIT).get(0);
            String newLastDay = lastDay(moved, member);
            assertThat(mail.getSubject()).contains(newLastDay);
            assertThat(SmtpServer.text(mail)).contains(newLastDay);
        }

        SampleEvents.publish(kafka, SAMPLE, changeId, null, PolicyChangeStatus.CANCELLED);
        planner.planTasks();
        dispatcher.dispatchDue();
        for (Member member : List.of(hongKong, germany, norway)) {
            List<MimeMessage> followUps = SmtpServer.awaitMessages(member.email(),
                    m -> header(m, FollowUpMailer.FOLLOW_UP_IDS_HEADER) != null, 2, WAIT);
            assertThat(followUps).hasSize(2);
            assertThat(followUps).anySatisfy(m -> assertThat(SmtpServer.text(m))
                    .containsAnyOf("called off", "已取消"));
            assertThat(reminderStatus(member, 1)).isEqualTo(ReminderStatus.CANCELLED);
        }
        assertThat(SmtpServer.awaitMessages(unitedStates.email(), m -> true, 1, Duration.ofMillis(300))).isEmpty();
    }

    private void assertReminder(MimeMessage mail, Member member, LocalDate effective) throws Exception {
        String text = SmtpServer.text(mail);
        if (member.language().equals("zh-HK")) {
            assertThat(mail.getSubject()).contains("LinkedIn").contains("請於");
        } else {
            assertThat(mail.getSubject()).isEqualTo("Act by " + lastDay(effective, member)
                    + ": LinkedIn will train generative AI on your profile, posts and resumes");
            assertThat(text).contains("Data for Generative AI Improvement").contains("Turn the switch Off.");
        }
        assertThat(text).contains("https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement");
        assertThat(header(mail, ReminderMailer.REMINDER_IDS_HEADER))
                .isEqualTo(String.valueOf(reminderId(member, 7)));
        assertThat(mail.getContentType()).startsWith("multipart/mixed");
        Multipart parts = (Multipart) mail.getContent();
        Multipart alternative = (Multipart) parts.getBodyPart(0).getContent();
        assertThat(alternative.getContentType()).startsWith("multipart/alternative");
        assertThat(List.of(alternative.getBodyPart(0).getContentType(), alternative.getBodyPart(1).getContentType()))
                .anyMatch(type -> type.startsWith("text/plain")).anyMatch(type -> type.startsWith("text/html"));
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/calendar");
    }

    private static String lastDay(LocalDate effective, Member member) {
        Locale locale = member.language().equals("zh-HK") ? Locale.forLanguageTag("zh-HK") : Locale.UK;
        return DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale).format(effective.minusDays(1));
    }

    private Member member(String name, String country, String zone, int sendHour, String language) {
        String email = name + "@example.org";
        long id = Fixtures.subscriber(tokens, tokens.newSalt(), email, country, zone, sendHour, language,
                SubscriptionStatus.ACTIVE, "linkedin");
        return new Member(email, country, ZoneId.of(zone), sendHour, language, id);
    }

    private static long reminderId(Member member, int leadDay) {
        return reminder(member, leadDay).id;
    }

    private static ReminderStatus reminderStatus(Member member, int leadDay) {
        return reminder(member, leadDay).status;
    }

    private static Reminder reminder(Member member, int leadDay) {
        return QuarkusTransaction.requiringNew().call(() -> Reminder.<Reminder>find(
                "subscriptionId = ?1 and leadDay = ?2", member.id(), leadDay).firstResult());
    }

    private static String header(MimeMessage mail, String name) {
        try {
            String[] values = mail.getHeader(name);
            return values == null ? null : values[0];
        } catch (jakarta.mail.MessagingException e) {
            return null;
        }
    }

    private void moveClockTo(Instant instant) {
        clock.advance(Duration.between(clock.instant(), instant));
    }
}
