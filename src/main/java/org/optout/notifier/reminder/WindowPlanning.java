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
import java.util.List;
import org.hibernate.Session;
import org.optout.notifier.config.NotifierConfig;
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.reminder.ReminderSchedule.Due;

/**
 * Plans one change for a window of subscriber ids in one statement. The due instants come from
 * {@link ReminderSchedule}, computed once for each distinct (time zone, send hour, lead days) among the window's
 * subscribers and passed to the database as a parameter table; the database matches the subscribers (country affected,
 * a platform in common, not opted out), joins each to its due instants and inserts what they have no row for yet.
 * Time-zone arithmetic stays in the JVM: SQL's resolves a local time that occurs twice, or not at all, otherwise than
 * the rule the service promises.
 */
@ApplicationScoped
class WindowPlanning {

    private static final String SCHEDULES = """
            select distinct s.time_zone, s.send_hour, s.lead_days from subscription s
            where s.id > ?1 and s.id <= ?2 and s.status = 'ACTIVE'""";

    /** Arrays as the parameter table: standard SQL that PostgreSQL and H2 both run. */
    private static final String INSERT = """
            insert into reminder (subscription_id, change_id, revision, lead_day, catch_up, due_at, next_attempt_at,
                                  status, created_at)
            select s.id, ?, ?, d.lead_day, d.catch_up, cast(d.due_at as timestamp with time zone),
                   cast(d.due_at as timestamp with time zone), 'PENDING', ?
            from subscription s
            join unnest(cast(? as varchar array), cast(? as integer array), cast(? as varchar array),
                        cast(? as integer array), cast(? as boolean array), cast(? as varchar array))
                 as d(time_zone, send_hour, lead_days, lead_day, catch_up, due_at)
              on d.time_zone = s.time_zone and d.send_hour = s.send_hour and d.lead_days = s.lead_days
            where s.id > ? and s.id <= ? and s.status = 'ACTIVE'
              and s.country in (select c.country from policy_change_country c where c.policy_change_id = ?)
              and exists (select 1 from subscription_platform p where p.subscription_id = s.id
                          and p.platform in (select cp.platform from policy_change_platform cp
                                             where cp.policy_change_id = ?))
              and not exists (select 1 from opted_out o where o.subscription_id = s.id and o.change_id = ?)
              and not exists (select 1 from reminder r where r.change_id = ? and r.subscription_id = s.id
                              and r.lead_day = d.lead_day)""";

    /** What the cast to {@code timestamp with time zone} reads the same on both databases. */
    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");

    /** One row of the parameter table: a schedule's subscribers get this reminder. */
    private record Schedule(String timeZone, int sendHour, String leadDays, Due due) {
    }

    private final EntityManager em;
    private final ReminderSchedule.WakingHours wakingHours;

    WindowPlanning(EntityManager em, NotifierConfig config) {
        this.em = em;
        this.wakingHours = new ReminderSchedule.WakingHours(LocalTime.of(config.reminders().wakingHoursStart(), 0),
                LocalTime.of(config.reminders().wakingHoursEnd(), 0));
    }

    /**
     * Inserts what is due for the change's subscribers with ids after {@code afterId} up to {@code upToId}, as seen at
     * {@code now}, leaving alone any lead day a subscriber already has a row for.
     *
     * @return how many reminders were inserted
     */
    int plan(PolicyChange change, long afterId, long upToId, Instant now) {
        List<Schedule> schedules = schedules(change, afterId, upToId, now);
        if (schedules.isEmpty()) {
            return 0;
        }
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                int at = 0;
                insert.setString(++at, change.changeId);
                insert.setInt(++at, change.revision);
                insert.setObject(++at, now.atOffset(ZoneOffset.UTC));
                at = parameterTable(connection, insert, at, schedules);
                insert.setLong(++at, afterId);
                insert.setLong(++at, upToId);
                insert.setLong(++at, change.id);
                insert.setLong(++at, change.id);
                insert.setString(++at, change.changeId);
                insert.setString(++at, change.changeId);
                return insert.executeUpdate();
            }
        });
    }

    private List<Schedule> schedules(PolicyChange change, long afterId, long upToId, Instant now) {
        List<Object[]> distinct = em.createNativeQuery(SCHEDULES, Object[].class).setParameter(1, afterId)
                .setParameter(2, upToId).getResultList();
        List<Schedule> schedules = new ArrayList<>();
        for (Object[] row : distinct) {
            String zone = (String) row[0];
            int sendHour = ((Number) row[1]).intValue();
            String leadDays = (String) row[2];
            List<Integer> days = Arrays.stream(leadDays.split(",")).map(Integer::valueOf).toList();
            for (Due due : ReminderSchedule.plan(change.effectiveDate, change.effectiveAt, days, sendHour,
                    ZoneId.of(zone), now, wakingHours)) {
                schedules.add(new Schedule(zone, sendHour, leadDays, due));
            }
        }
        return schedules;
    }

    private static int parameterTable(Connection connection, PreparedStatement insert, int at,
            List<Schedule> schedules) throws SQLException {
        int size = schedules.size();
        String[] zones = new String[size];
        Integer[] sendHours = new Integer[size];
        String[] leadDays = new String[size];
        Integer[] leadDay = new Integer[size];
        Boolean[] catchUp = new Boolean[size];
        String[] dueAt = new String[size];
        for (int i = 0; i < size; i++) {
            Schedule schedule = schedules.get(i);
            zones[i] = schedule.timeZone();
            sendHours[i] = schedule.sendHour();
            leadDays[i] = schedule.leadDays();
            leadDay[i] = schedule.due().leadDay();
            catchUp[i] = schedule.due().catchUp();
            dueAt[i] = INSTANT.format(schedule.due().at().atOffset(ZoneOffset.UTC));
        }
        insert.setArray(++at, connection.createArrayOf("varchar", zones));
        insert.setArray(++at, connection.createArrayOf("integer", sendHours));
        insert.setArray(++at, connection.createArrayOf("varchar", leadDays));
        insert.setArray(++at, connection.createArrayOf("integer", leadDay));
        insert.setArray(++at, connection.createArrayOf("boolean", catchUp));
        insert.setArray(++at, connection.createArrayOf("varchar", dueAt));
        return at;
    }
}
