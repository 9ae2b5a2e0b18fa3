package org.optout.notifier.delivery;

import biweekly.Biweekly;
import biweekly.ICalendar;
import biweekly.component.VAlarm;
import biweekly.component.VEvent;
import biweekly.parameter.Related;
import biweekly.property.DateEnd;
import biweekly.property.DateStart;
import biweekly.property.Method;
import biweekly.property.Trigger;
import biweekly.util.Duration;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;

/**
 * The calendar file attached to reminders (RFC 5545, {@code METHOD:PUBLISH}): one all-day event per change on the
 * last day to act, with an alarm that morning. The UID is the change's, and the sequence its revision, so that a
 * revised deadline replaces the event in the subscriber's calendar instead of adding one.
 */
final class DeadlineCalendar {

    static final String FILE_NAME = "opt-out-deadlines.ics";
    static final String CONTENT_TYPE = "text/calendar; method=PUBLISH; charset=UTF-8";
    private static final Duration ALARM_AT_NINE = new Duration.Builder().hours(9).build();

    /** One deadline in the calendar. */
    record Deadline(String changeId, int revision, String title, LocalDate lastDayToAct, String steps, String url) {
    }

    private DeadlineCalendar() {
    }

    static byte[] of(List<Deadline> deadlines) {
        ICalendar calendar = new ICalendar();
        calendar.setMethod(Method.publish());
        for (Deadline deadline : deadlines) {
            VEvent event = new VEvent();
            event.setUid(deadline.changeId() + "@optout-notifier");
            event.setSequence(deadline.revision());
            event.setSummary(deadline.title());
            event.setDescription(deadline.steps());
            event.setUrl(deadline.url());
            event.setDateStart(new DateStart(date(deadline.lastDayToAct()), false));
            event.setDateEnd(new DateEnd(date(deadline.lastDayToAct().plusDays(1)), false));
            event.addAlarm(VAlarm.display(new Trigger(ALARM_AT_NINE, Related.START), deadline.title()));
            calendar.addEvent(event);
        }
        return Biweekly.write(calendar).go().getBytes(StandardCharsets.UTF_8);
    }

    /** A calendar date: biweekly writes date-only values in the default zone, so they are read in it too. */
    private static Date date(LocalDate day) {
        return Date.from(day.atStartOfDay(ZoneId.systemDefault()).toInstant());
    }
}
