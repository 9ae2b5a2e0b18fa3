package org.optout.notifier.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.optout.notifier.infrastructure.Crowd;
import org.optout.notifier.infrastructure.Fixtures;

/**
 * How planning time grows with the number of matched subscribers: a change matching 10,000 subscribers, then one
 * matching 100,000 (two reminders each); {@code -Dplanning.audiences=10000,100000,1000000} for a million. Not part of
 * the default suite ({@code ./mvnw test -Pbenchmarks}); results go to target/benchmarks and docs/benchmarks.md.
 */
@QuarkusTest
class ReminderPlanningBenchmark {

    private static final String COUNTRY = "LI";

    @Inject
    ReminderPlanner planner;

    @Inject
    AgroalDataSource database;

    @Test
    void planningTimeGrowsLinearlyWithMatchedSubscribers() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        StringBuilder result = new StringBuilder();
        int stored = 0;
        List<Integer> audiences = Arrays.stream(System.getProperty("planning.audiences", "10000,100000").split(","))
                .map(Integer::valueOf).toList();
        for (int matched : audiences) {
            Crowd.subscribers(database, "plan-" + run + "-" + matched, matched - stored, COUNTRY, "Europe/Vaduz",
                    "linkedin");
            stored = matched;
            String changeId = "plan-" + run + "-" + matched;
            LocalDate effective = LocalDate.now().plusDays(30);
            Fixtures.linkedInChange(changeId, "Planning", effective, List.of(COUNTRY), true);

            long started = System.nanoTime();
            planner.planTasks();
            double seconds = (System.nanoTime() - started) / 1e9;

            assertThat(planned(changeId)).isEqualTo(2L * matched);
            result.append("reminder planning: %,d matched subscribers, %,d reminders in %.1f s (%.0f µs per subscriber)%n"
                    .formatted(matched, 2L * matched, seconds, seconds * 1e6 / matched));
        }
        Files.createDirectories(Path.of("target", "benchmarks"));
        Files.writeString(Path.of("target", "benchmarks", "reminder-planning.txt"), result);
        System.out.print(result);
    }

    private static long planned(String changeId) {
        return QuarkusTransaction.requiringNew().call(() -> Reminder.count("changeId", changeId));
    }
}
