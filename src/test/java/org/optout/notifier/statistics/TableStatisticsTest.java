package org.optout.notifier.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.optout.notifier.infrastructure.Crowd;
import org.optout.notifier.infrastructure.Fixtures;
import org.optout.notifier.reminder.ReminderPlanner;
import org.optout.notifier.subscription.Subscription;

/**
 * The service refreshes the statistics of the tables it fills, so that PostgreSQL plans their statements by their
 * indexes: the CI machines run it without autovacuum, and there a table never analyzed was read whole for every claim,
 * and a lookup the driver prepared while its table was empty kept reading the whole table as it grew. (H2 keeps its
 * statistics itself; the other tests run its statement.)
 */
@QuarkusTest
@Tag("postgresql-only")
class TableStatisticsTest {

    @Inject
    ReminderPlanner planner;

    @Inject
    TableStatistics statistics;

    @Inject
    AgroalDataSource database;

    private final String prefix = "statistics-" + UUID.randomUUID();

    @AfterEach
    void cleanUp() {
        QuarkusTransaction.requiringNew().run(() -> Subscription.delete("email like ?1", prefix + "-%"));
    }

    @Test
    void aChangePlannedForManyLeavesTheReminderTablesAnalyzed() throws Exception {
        // A refresh first, so that what earlier tests planned is reset; then as many reminders as make the next due:
        // 1,000, or a tenth of the rows the earlier tests left.
        grew("reminder", Long.MAX_VALUE / 2);
        long due = Math.max(TableStatistics.ROWS, estimatedRows("reminder") / 10);
        Crowd.subscribers(database, prefix, (int) (due / 2), "HK", "Asia/Hong_Kong", "linkedin");
        long before = analyzed("reminder");

        Fixtures.linkedInChange("statistics-" + UUID.randomUUID(), "Statistics", LocalDate.now().plusDays(30),
                List.of("HK"), true);
        planner.planTasks();

        assertThat(analyzed("reminder")).isGreaterThan(before);
        assertThat(estimatedRows("reminder")).as("rows the statistics count")
                .isGreaterThanOrEqualTo(TableStatistics.ROWS);
    }

    @Test
    void aTableIsAnalyzedOnceItGrewByTheThreshold() throws Exception {
        // A refresh first, so that what earlier tests counted is reset; the table is small, so the threshold is ROWS.
        grew("opted_out", Long.MAX_VALUE / 2);
        long before = analyzed("opted_out");

        grew("opted_out", TableStatistics.ROWS - 1);
        assertThat(analyzed("opted_out")).as("one row short").isEqualTo(before);

        grew("opted_out", 1);
        assertThat(analyzed("opted_out")).isEqualTo(before + 1);
    }

    @Test
    void aConsumerLeavesTheRefreshToTheBackground() throws Exception {
        grew("processed_event", Long.MAX_VALUE / 2);
        long before = analyzed("processed_event");

        statistics.wrote("processed_event", TableStatistics.ROWS - 1);
        statistics.refreshSoon("processed_event");
        statistics.wrote("processed_event", 1);
        statistics.refreshSoon("processed_event");

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (analyzed("processed_event") == before && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(analyzed("processed_event")).isEqualTo(before + 1);
    }

    private void grew(String table, long rows) {
        statistics.wrote(table, rows);
        statistics.refreshIfGrown(table);
    }

    private long analyzed(String table) throws SQLException {
        return number("select analyze_count from pg_stat_user_tables where relname = '" + table
                + "' and schemaname = current_schema()");
    }

    private long estimatedRows(String table) throws SQLException {
        return number("select reltuples::bigint from pg_class where relname = '" + table
                + "' and relnamespace = current_schema()::regnamespace");
    }

    private long number(String query) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(query)) {
            assertThat(row.next()).as(query).isTrue();
            return row.getLong(1);
        }
    }
}
