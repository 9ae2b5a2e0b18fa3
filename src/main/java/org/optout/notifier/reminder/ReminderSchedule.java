package org.optout.notifier.reminder;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * When a subscriber's reminders for one change are due: plain time arithmetic, no state.
 *
 * <p>A change takes effect at the start of its effective date in the subscriber's own time zone (or at its fixed
 * {@code effectiveAt} instant); that is the deadline, and nothing is ever due at or after it. Lead day L is due at the
 * subscriber's send hour, local time, L calendar days before the effective date. A local time that falls in a
 * daylight-saving gap moves to the first valid instant after the gap; one that occurs twice takes the earlier.
 * Lead days already past when planning happens are replaced by exactly one catch-up reminder, as soon as possible
 * inside the subscriber's waking hours, or at once when the deadline comes before those hours begin.
 */
public final class ReminderSchedule {

    /** The local hours in which a catch-up reminder may go out (start inclusive, end exclusive). */
    public record WakingHours(LocalTime start, LocalTime end) {

        public static final WakingHours DEFAULT = new WakingHours(LocalTime.of(8, 0), LocalTime.of(21, 0));

        boolean contains(LocalTime time) {
            return !time.isBefore(start) && time.isBefore(end);
        }
    }

    /**
     * One reminder to send: for a lead day, or a catch-up standing for missed lead days (then {@code leadDay} is the
     * missed one closest to the deadline).
     */
    public record Due(int leadDay, Instant at, boolean catchUp) {
    }

    private ReminderSchedule() {
    }

    /** The instant the change takes effect for a subscriber in {@code zone}. */
    public static Instant deadline(LocalDate effectiveDate, Instant effectiveAt, ZoneId zone) {
        return effectiveAt != null ? effectiveAt : effectiveDate.atStartOfDay(zone).toInstant();
    }

    /** The day the change takes effect, as the subscriber's calendar shows it. */
    public static LocalDate effectiveDay(LocalDate effectiveDate, Instant effectiveAt, ZoneId zone) {
        return effectiveAt != null ? LocalDate.ofInstant(effectiveAt, zone) : effectiveDate;
    }

    /** {@code hour}:00 on {@code date} in {@code zone}; in a gap, the first valid instant after it. */
    public static Instant localInstant(LocalDate date, int hour, ZoneId zone) {
        LocalDateTime local = date.atTime(hour, 0);
        if (zone.getRules().getValidOffsets(local).isEmpty()) {
            ZoneOffsetTransition gap = zone.getRules().getTransition(local);
            return gap.getInstant();
        }
        return ZonedDateTime.of(local, zone).toInstant();
    }

    /**
     * The reminders still to send, in time order, as seen at {@code now}.
     *
     * @return empty once the deadline has passed
     */
    public static List<Due> plan(LocalDate effectiveDate, Instant effectiveAt, List<Integer> leadDays, int sendHour,
            ZoneId zone, Instant now, WakingHours waking) {
        Instant deadline = deadline(effectiveDate, effectiveAt, zone);
        if (!now.isBefore(deadline)) {
            return List.of();
        }
        LocalDate effectiveDay = effectiveDay(effectiveDate, effectiveAt, zone);
        List<Due> due = new ArrayList<>();
        int closestMissed = Integer.MAX_VALUE;
        for (int leadDay : leadDays) {
            Instant at = beforeDeadline(localInstant(effectiveDay.minusDays(leadDay), sendHour, zone), deadline);
            if (at.isAfter(now)) {
                due.add(new Due(leadDay, at, false));
            } else {
                closestMissed = Math.min(closestMissed, leadDay);
            }
        }
        if (closestMissed != Integer.MAX_VALUE) {
            due.add(new Due(closestMissed, catchUp(now, deadline, zone, waking), true));
        }
        due.sort(Comparator.comparing(Due::at));
        return List.copyOf(due);
    }

    /** As soon as possible inside the waking hours; at once if the deadline comes before they begin. */
    static Instant catchUp(Instant now, Instant deadline, ZoneId zone, WakingHours waking) {
        ZonedDateTime local = now.atZone(zone);
        if (waking.contains(local.toLocalTime())) {
            return now;
        }
        LocalDate day = local.toLocalTime().isBefore(waking.start()) ? local.toLocalDate()
                : local.toLocalDate().plusDays(1);
        Instant opens = localInstant(day, waking.start().getHour(), zone).plusSeconds(waking.start().getMinute() * 60L);
        return opens.isBefore(deadline) ? opens : now;
    }

    /**
     * A local send time can land on or after the deadline only where a gap swallows the evening before it, or an
     * {@code effectiveAt} falls early on its day; then the reminder goes one hour before the deadline instead.
     */
    private static Instant beforeDeadline(Instant at, Instant deadline) {
        return at.isBefore(deadline) ? at : deadline.minusSeconds(3600);
    }
}
