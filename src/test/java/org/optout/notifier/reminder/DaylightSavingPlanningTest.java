package org.optout.notifier.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.optout.notifier.infrastructure.Fixtures;
import org.optout.notifier.subscription.SubscriptionStatus;

/**
 * Planning by the database, in one statement per window, gives each subscriber the instants {@link ReminderSchedule}
 * promises where a lead day falls on a daylight-saving change: in a gap the first instant after it, in an overlap the
 * earlier of the two (SQL's own arithmetic would pick otherwise). Subscribers of many schedules share the window, so
 * each must get its own schedule's instants.
 */
@QuarkusTest
@Tag("persistence")
class DaylightSavingPlanningTest {

    private record Zone(String id, String country) {
    }

    private static final List<Zone> ZONES = List.of(new Zone("Europe/Berlin", "DE"),
            new Zone("America/Toronto", "CA"), new Zone("Australia/Sydney", "AU"), new Zone("Asia/Hong_Kong", "HK"));
    private static final int[] SEND_HOURS = {0, 1, 2, 3, 9, 23};

    @Inject
    ReminderPlanner planner;

    @Test
    void leadDaysOnAGapOrAnOverlapGetTheScheduleOwnInstants() {
        List<long[]> subscribers = new ArrayList<>();
        for (Zone zone : ZONES) {
            for (int hour : SEND_HOURS) {
                subscribers.add(new long[] {subscriber(zone, hour), ZONES.indexOf(zone), hour});
            }
        }
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        ZoneOffsetTransition gap = nextTransition(berlin, true);
        ZoneOffsetTransition overlap = nextTransition(berlin, false);
        // Lead day 7 on the day the clocks change in Europe; the other zones change on other days, or never.
        List<String> changes = List.of(change(gap.getDateTimeBefore().toLocalDate().plusDays(7)),
                change(overlap.getDateTimeBefore().toLocalDate().plusDays(7)),
                change(nextTransition(ZoneId.of("America/Toronto"), true).getDateTimeBefore().toLocalDate()
                        .plusDays(1)),
                change(nextTransition(ZoneId.of("Australia/Sydney"), false).getDateTimeBefore().toLocalDate()
                        .plusDays(7)));

        planner.planTasks();

        for (String changeId : changes) {
            LocalDate effective = effective(changeId);
            for (long[] subscriber : subscribers) {
                ZoneId zone = ZoneId.of(ZONES.get((int) subscriber[1]).id());
                List<Instant> promised = ReminderSchedule.plan(effective, null, List.of(7, 1), (int) subscriber[2],
                        zone, Instant.now(), ReminderSchedule.WakingHours.DEFAULT).stream()
                        .map(ReminderSchedule.Due::at).toList();
                assertThat(due(subscriber[0], changeId)).as("%s at %d:00 in %s", changeId, subscriber[2], zone)
                        .containsExactlyElementsOf(promised);
            }
        }
        long berlinAtTwo = subscribers.stream().filter(s -> s[1] == 0 && s[2] == 2).findFirst().orElseThrow()[0];
        // 02:00 does not exist that night: the first instant after the gap. It exists twice that other night: the
        // first of the two.
        assertThat(due(berlinAtTwo, changes.get(0))).first().isEqualTo(gap.getInstant());
        assertThat(due(berlinAtTwo, changes.get(1))).first()
                .isEqualTo(overlap.getDateTimeBefore().minusHours(1).toInstant(overlap.getOffsetBefore()));
    }

    /** The next gap (or overlap) of the zone at least a week and a half from now, so that no lead day is missed. */
    private static ZoneOffsetTransition nextTransition(ZoneId zone, boolean gap) {
        ZoneOffsetTransition transition = zone.getRules().nextTransition(Instant.now().plus(java.time.Duration
                .ofDays(10)));
        while (transition.isGap() != gap) {
            transition = zone.getRules().nextTransition(transition.getInstant());
        }
        return transition;
    }

    private static long subscriber(Zone zone, int hour) {
        return Fixtures.subscriber(null, null, "dst-" + UUID.randomUUID() + "@example.org", zone.country(), zone.id(),
                hour, "en", SubscriptionStatus.ACTIVE, "linkedin");
    }

    private static String change(LocalDate effective) {
        String changeId = "dst-" + UUID.randomUUID();
        Fixtures.linkedInChange(changeId, "Daylight saving " + effective, effective,
                ZONES.stream().map(Zone::country).toList(), true);
        return changeId;
    }

    private static LocalDate effective(String changeId) {
        return QuarkusTransaction.requiringNew().call(() -> org.optout.notifier.policy.PolicyChange
                .findByChangeId(changeId).orElseThrow().effectiveDate);
    }

    private static List<Instant> due(long subscriber, String changeId) {
        return QuarkusTransaction.requiringNew().call(() -> Reminder.<Reminder>list(
                "subscriptionId = ?1 and changeId = ?2 order by dueAt", subscriber, changeId)).stream()
                .map(r -> r.dueAt).toList();
    }
}
