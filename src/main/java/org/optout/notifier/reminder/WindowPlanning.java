package org.optout.notifier.reminder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;
import org.optout.notifier.config.NotifierConfig;
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.reminder.ReminderSchedule.Due;
import org.postgresql.PGStatement;

/**
 * Plans changes for a window of subscriber ids in one statement, however many changes. The due instants come from
 * {@link ReminderSchedule}, computed once per change for each distinct (time zone, send hour, lead days) among the
 * window's subscribers in a country it affects, and passed to the database as a parameter table of (change, country,
 * schedule, instant); the database joins each subscriber to their country's and schedule's rows, keeps those with a
 * platform in common and not opted out, and inserts what they have no row for yet.
 * Time-zone arithmetic stays in the JVM: SQL's resolves a local time that occurs twice, or not at all, otherwise than
 * the rule the service promises.
 */
@ApplicationScoped
class WindowPlanning {

    private static final String SCHEDULES = """
            select distinct s.country, s.time_zone, s.send_hour, s.lead_days from subscription s
            where s.id > ?1 and s.id <= ?2 and s.status = 'ACTIVE'""";

    /** Arrays as the parameter table: standard SQL that PostgreSQL and H2 both run. */
    private static final String INSERT = """
            insert into reminder (subscription_id, change_id, revision, lead_day, catch_up, due_at, next_attempt_at,
                                  status, created_at)
            select s.id, d.change_id, d.revision, d.lead_day, d.catch_up, cast(d.due_at as timestamp with time zone),
                   cast(d.due_at as timestamp with time zone), 'PENDING', ?
            from subscription s
            join unnest(cast(? as bigint array), cast(? as varchar array), cast(? as integer array),
                        cast(? as varchar array), cast(? as varchar array), cast(? as integer array),
                        cast(? as varchar array), cast(? as integer array), cast(? as boolean array),
                        cast(? as varchar array))
                 as d(policy_change_id, change_id, revision, country, time_zone, send_hour, lead_days, lead_day,
                      catch_up, due_at)
              on d.country = s.country and d.time_zone = s.time_zone and d.send_hour = s.send_hour
                 and d.lead_days = s.lead_days
            where s.id > ? and s.id <= ? and s.status = 'ACTIVE'
              and exists (select 1 from subscription_platform p, policy_change_platform cp
                          where p.subscription_id = s.id and cp.policy_change_id = d.policy_change_id
                            and cp.platform = p.platform)
              and not exists (select 1 from opted_out o where o.subscription_id = s.id and o.change_id = d.change_id)
              and not exists (select 1 from reminder r where r.change_id = d.change_id and r.subscription_id = s.id
                              and r.lead_day = d.lead_day)""";

    /** What the cast to {@code timestamp with time zone} reads the same on both databases. */
    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");

    /** One row of the parameter table: a schedule's subscribers in this country get this reminder of this change. */
    private record Schedule(PolicyChange change, String country, String timeZone, int sendHour, String leadDays,
            Due due) {
    }

    private final EntityManager em;
    private final ReminderSchedule.WakingHours wakingHours;

    WindowPlanning(EntityManager em, NotifierConfig config) {
        this.em = em;
        this.wakingHours = new ReminderSchedule.WakingHours(LocalTime.of(config.reminders().wakingHoursStart(), 0),
                LocalTime.of(config.reminders().wakingHoursEnd(), 0));
    }

    /**
     * A window of subscriber ids, ids after {@code afterId} up to {@code upToId}; its distinct schedules are read once,
     * however many changes are planned for it in the transaction.
     */
    Window window(long afterId, long upToId) {
        return new Window(afterId, upToId);
    }

    final class Window {

        private final long afterId;
        private final long upToId;
        private List<Object[]> distinct;

        private Window(long afterId, long upToId) {
            this.afterId = afterId;
            this.upToId = upToId;
        }

        /**
         * Inserts what is due of these changes for their subscribers in the window, as seen at {@code now}, leaving
         * alone any lead day a subscriber already has a row for.
         *
         * @return how many reminders were inserted
         */
        int plan(List<PolicyChange> changes, Instant now) {
            List<Schedule> schedules = new ArrayList<>();
            changes.forEach(change -> schedules.addAll(schedules(change, now)));
            if (schedules.isEmpty()) {
                return 0;
            }
            return em.unwrap(Session.class).doReturningWork(connection -> {
                try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    plannedForItsParameters(insert);
                    int at = 0;
                    insert.setObject(++at, now.atOffset(ZoneOffset.UTC));
                    at = parameterTable(connection, insert, at, schedules);
                    insert.setLong(++at, afterId);
                    insert.setLong(++at, upToId);
                    return insert.executeUpdate();
                }
            });
        }

        /**
         * The change's rows of the parameter table: only the countries it affects, so that the database pairs a
         * subscriber with no change that does not concern their country; each schedule's instants worked out once.
         */
        private List<Schedule> schedules(PolicyChange change, Instant now) {
            if (distinct == null) {
                distinct = em.createNativeQuery(SCHEDULES, Object[].class).setParameter(1, afterId)
                        .setParameter(2, upToId).getResultList();
            }
            Map<List<Object>, List<Due>> dues = new HashMap<>();
            List<Schedule> schedules = new ArrayList<>();
            for (Object[] row : distinct) {
                String country = (String) row[0];
                if (!change.countries.contains(country)) {
                    continue;
                }
                String zone = (String) row[1];
                int sendHour = ((Number) row[2]).intValue();
                String leadDays = (String) row[3];
                List<Due> planned = dues.computeIfAbsent(List.of(zone, sendHour, leadDays),
                        schedule -> ReminderSchedule.plan(change.effectiveDate, change.effectiveAt,
                                Arrays.stream(leadDays.split(",")).map(Integer::valueOf).toList(), sendHour,
                                ZoneId.of(zone), now, wakingHours));
                for (Due due : planned) {
                    schedules.add(new Schedule(change, country, zone, sendHour, leadDays, due));
                }
            }
            return schedules;
        }
    }

    /**
     * On PostgreSQL, the statement is planned for its own parameters every time, never prepared once for all: after a
     * few runs PostgreSQL tried a generic plan, which cannot know the window or the table's length, and kept it as no
     * dearer by its estimates. It paired every subscriber with every change naming one of their platforms, through the
     * platform index, and filtered by change afterwards: 150-300 ms for 50 changes against 30 ms (auto_explain,
     * ingest benchmark), the planner's inserts three quarters of the database's time while policy changes arrived.
     */
    private static void plannedForItsParameters(PreparedStatement insert) throws SQLException {
        if (insert.isWrapperFor(PGStatement.class)) {
            insert.unwrap(PGStatement.class).setPrepareThreshold(0);
        }
    }

    private static int parameterTable(Connection connection, PreparedStatement insert, int at,
            List<Schedule> schedules) throws SQLException {
        int size = schedules.size();
        Long[] changeIds = new Long[size];
        String[] changes = new String[size];
        Integer[] revisions = new Integer[size];
        String[] countries = new String[size];
        String[] zones = new String[size];
        Integer[] sendHours = new Integer[size];
        String[] leadDays = new String[size];
        Integer[] leadDay = new Integer[size];
        Boolean[] catchUp = new Boolean[size];
        String[] dueAt = new String[size];
        for (int i = 0; i < size; i++) {
            Schedule schedule = schedules.get(i);
            changeIds[i] = schedule.change().id;
            changes[i] = schedule.change().changeId;
            revisions[i] = schedule.change().revision;
            countries[i] = schedule.country();
            zones[i] = schedule.timeZone();
            sendHours[i] = schedule.sendHour();
            leadDays[i] = schedule.leadDays();
            leadDay[i] = schedule.due().leadDay();
            catchUp[i] = schedule.due().catchUp();
            dueAt[i] = INSTANT.format(schedule.due().at().atOffset(ZoneOffset.UTC));
        }
        insert.setArray(++at, connection.createArrayOf("bigint", changeIds));
        insert.setArray(++at, connection.createArrayOf("varchar", changes));
        insert.setArray(++at, connection.createArrayOf("integer", revisions));
        insert.setArray(++at, connection.createArrayOf("varchar", countries));
        insert.setArray(++at, connection.createArrayOf("varchar", zones));
        insert.setArray(++at, connection.createArrayOf("integer", sendHours));
        insert.setArray(++at, connection.createArrayOf("varchar", leadDays));
        insert.setArray(++at, connection.createArrayOf("integer", leadDay));
        insert.setArray(++at, connection.createArrayOf("boolean", catchUp));
        insert.setArray(++at, connection.createArrayOf("varchar", dueAt));
        return at;
    }
}
