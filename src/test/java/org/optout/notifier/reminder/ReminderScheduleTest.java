package org.optout.notifier.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.optout.notifier.reminder.ReminderSchedule.Due;
import org.optout.notifier.reminder.ReminderSchedule.WakingHours;

class ReminderScheduleTest {

    private static final LocalDate LINKEDIN = LocalDate.of(2025, 11, 3);
    private static final ZoneId HONG_KONG = ZoneId.of("Asia/Hong_Kong");
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final ZoneId SANTIAGO = ZoneId.of("America/Santiago");

    @Test
    void leadDaysAreDueAtTheSendHourOnTheirCalendarDay() {
        List<Due> due = plan(LINKEDIN, null, List.of(7, 1), 9, HONG_KONG, at("2025-10-01T00:00:00Z"));

        assertThat(due).containsExactly(
                new Due(7, at("2025-10-27T01:00:00Z"), false),
                new Due(1, at("2025-11-02T01:00:00Z"), false));
    }

    @Test
    void theDeadlineIsTheStartOfTheEffectiveDateInTheSubscribersZone() {
        assertThat(ReminderSchedule.deadline(LINKEDIN, null, HONG_KONG)).isEqualTo(at("2025-11-02T16:00:00Z"));
        assertThat(ReminderSchedule.deadline(LINKEDIN, null, ZoneId.of("Europe/Oslo")))
                .isEqualTo(at("2025-11-02T23:00:00Z"));
    }

    @Test
    void aSendHourInTheSpringGapMovesToTheEndOfTheGap() {
        // Europe/London, last Sunday of March 2025: 01:00 jumps to 02:00.
        Instant due = ReminderSchedule.localInstant(LocalDate.of(2025, 3, 30), 1, LONDON);

        assertThat(due).isEqualTo(at("2025-03-30T01:00:00Z"));
        assertThat(due.atZone(LONDON).toLocalTime().toString()).isEqualTo("02:00");
    }

    @Test
    void aSendHourThatOccursTwiceInAutumnTakesTheEarlierOne() {
        // Europe/London, last Sunday of October 2025: 01:00-02:00 happens twice (BST, then GMT).
        assertThat(ReminderSchedule.localInstant(LocalDate.of(2025, 10, 26), 1, LONDON))
                .isEqualTo(at("2025-10-26T00:00:00Z"));
    }

    @Test
    void whereClocksChangeAtMidnightTheDayStartsWhenItExists() {
        // America/Santiago, 7 September 2025: 00:00 jumps to 01:00 (-04:00 to -03:00).
        assertThat(ReminderSchedule.deadline(LocalDate.of(2025, 9, 7), null, SANTIAGO))
                .isEqualTo(at("2025-09-07T04:00:00Z"));
        assertThat(ReminderSchedule.localInstant(LocalDate.of(2025, 9, 7), 0, SANTIAGO))
                .isEqualTo(at("2025-09-07T04:00:00Z"));
        List<Due> due = plan(LocalDate.of(2025, 9, 8), null, List.of(1), 0, SANTIAGO, at("2025-09-01T00:00:00Z"));
        assertThat(due).containsExactly(new Due(1, at("2025-09-07T04:00:00Z"), false));
    }

    @Test
    void withAFixedInstantTheCalendarDayIsTheSubscribers() {
        Instant effectiveAt = at("2025-11-03T00:00:00Z");
        List<Due> due = plan(LINKEDIN, effectiveAt, List.of(1), 9, HONG_KONG, at("2025-10-01T00:00:00Z"));

        // 00:00 UTC is 08:00 on 3 November in Hong Kong: lead day 1 is 2 November, 09:00 local.
        assertThat(due).containsExactly(new Due(1, at("2025-11-02T01:00:00Z"), false));
        assertThat(plan(LINKEDIN, effectiveAt, List.of(1), 9, ZoneId.of("America/Los_Angeles"),
                at("2025-10-01T00:00:00Z"))).allSatisfy(d -> assertThat(d.at()).isBefore(effectiveAt));
    }

    @Test
    void aLateSubscriberGetsExactlyOneCatchUpThenTheRest() {
        // Signed up on 30 October at 12:00 in Hong Kong: 14 and 7 days before are past, 1 day before is ahead.
        List<Due> due = plan(LINKEDIN, null, List.of(14, 7, 1), 9, HONG_KONG, at("2025-10-30T04:00:00Z"));

        assertThat(due).containsExactly(
                new Due(7, at("2025-10-30T04:00:00Z"), true),
                new Due(1, at("2025-11-02T01:00:00Z"), false));
    }

    @Test
    void aCatchUpAtNightWaitsForTheMorning() {
        // 30 October, 23:30 in Hong Kong: the catch-up goes at 08:00 the next morning.
        List<Due> due = plan(LINKEDIN, null, List.of(7, 1), 9, HONG_KONG, at("2025-10-30T15:30:00Z"));

        assertThat(due.get(0)).isEqualTo(new Due(7, at("2025-10-31T00:00:00Z"), true));
    }

    @Test
    void aCatchUpGoesAtOnceWhenTheDeadlineComesBeforeTheMorning() {
        // 2 November, 23:00 in Hong Kong: the change takes effect at midnight, before 08:00.
        Instant now = at("2025-11-02T15:00:00Z");

        assertThat(plan(LINKEDIN, null, List.of(7, 1), 9, HONG_KONG, now)).containsExactly(new Due(1, now, true));
    }

    @Test
    void nothingIsDueOnceTheDeadlinePassed() {
        assertThat(plan(LINKEDIN, null, List.of(7, 1), 9, HONG_KONG, at("2025-11-02T16:00:00Z"))).isEmpty();
        assertThat(plan(LINKEDIN, null, List.of(7, 1), 9, HONG_KONG, at("2025-12-01T00:00:00Z"))).isEmpty();
    }

    @Test
    void inEveryZoneNoReminderIsEverDueAtOrAfterTheDeadline() {
        Random random = new Random(20251103);
        int checked = 0;
        for (String id : ZoneId.getAvailableZoneIds()) {
            ZoneId zone = ZoneId.of(id);
            for (int i = 0; i < 40; i++) {
                LocalDate effective = LocalDate.of(2024, 1, 1).plusDays(random.nextInt(3 * 365));
                int sendHour = random.nextInt(24);
                List<Integer> leadDays = List.of(1 + random.nextInt(30), 1);
                Instant now = effective.atStartOfDay(zone).toInstant().minusSeconds(random.nextInt(40 * 86_400));
                Instant deadline = ReminderSchedule.deadline(effective, null, zone);
                for (Due due : plan(effective, null, leadDays, sendHour, zone, now)) {
                    assertThat(due.at()).as("%s %s %d:00 lead %d", zone, effective, sendHour, due.leadDay())
                            .isBefore(deadline).isAfterOrEqualTo(now);
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(10_000);
    }

    @Test
    void everyLocalSendHourExistsOrMovesForwardByLessThanTheGap() {
        for (String id : ZoneId.getAvailableZoneIds()) {
            ZoneId zone = ZoneId.of(id);
            for (var transition : zone.getRules().getTransitions()) {
                LocalDate day = transition.getDateTimeBefore().toLocalDate();
                if (day.getYear() < 2020 || day.getYear() > 2030) {
                    continue;
                }
                for (int hour = 0; hour < 24; hour++) {
                    Instant due = ReminderSchedule.localInstant(day, hour, zone);
                    ZonedDateTime local = due.atZone(zone);
                    assertThat(local.toLocalDateTime()).as("%s %s %d:00", zone, day, hour)
                            .isAfterOrEqualTo(day.atTime(hour, 0));
                    assertThat(Duration.between(day.atTime(hour, 0), local.toLocalDateTime()))
                            .isLessThanOrEqualTo(transition.getDuration().abs());
                }
            }
        }
    }

    private static List<Due> plan(LocalDate effective, Instant effectiveAt, List<Integer> leadDays, int hour,
            ZoneId zone, Instant now) {
        return ReminderSchedule.plan(effective, effectiveAt, leadDays, hour, zone, now, WakingHours.DEFAULT);
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }
}
