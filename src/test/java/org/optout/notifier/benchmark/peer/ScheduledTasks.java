package org.optout.notifier.benchmark.peer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * db-scheduler's table in the benchmark's database, made afresh for each run and filled with one execution per due
 * reminder. Filled by one {@code insert ... select}: scheduling is set-up, not part of what is measured.
 */
final class ScheduledTasks {

    /** db-scheduler 16.7.1's PostgreSQL DDL, {@code db-scheduler/src/test/resources/postgresql_tables.sql}. */
    private static final String TABLE = """
            drop table if exists scheduled_tasks;
            create table scheduled_tasks (
              task_name text not null,
              task_instance text not null,
              task_data bytea,
              execution_time timestamp with time zone not null,
              picked boolean not null,
              picked_by text,
              last_success timestamp with time zone,
              last_failure timestamp with time zone,
              consecutive_failures int,
              last_heartbeat timestamp with time zone,
              version bigint not null,
              priority smallint,
              primary key (task_name, task_instance)
            );
            create index execution_time_idx on scheduled_tasks (execution_time);
            create index last_heartbeat_idx on scheduled_tasks (last_heartbeat);
            create index priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);""";

    /**
     * What {@code SchedulerClient.schedule} would write for each reminder: the instance id and the data are the
     * reminder's id (JacksonSerializer writes a Long as its digits), version 1, not picked.
     */
    private static final String SCHEDULE_DUE_REMINDERS = """
            insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version)
            select ?, id::text, convert_to(id::text, 'UTF8'), ?, false, 1
            from reminder where status = 'PENDING' and next_attempt_at <= ?""";

    private ScheduledTasks() {
    }

    /** @return how many executions were scheduled */
    static int recreateWithDueReminders(DataSource database, String taskName, Instant now) throws SQLException {
        try (Connection connection = database.getConnection()) {
            try (Statement ddl = connection.createStatement()) {
                ddl.execute(TABLE);
            }
            try (PreparedStatement schedule = connection.prepareStatement(SCHEDULE_DUE_REMINDERS)) {
                Timestamp at = Timestamp.from(now);
                schedule.setString(1, taskName);
                schedule.setTimestamp(2, at);
                schedule.setTimestamp(3, at);
                return schedule.executeUpdate();
            }
        }
    }
}
