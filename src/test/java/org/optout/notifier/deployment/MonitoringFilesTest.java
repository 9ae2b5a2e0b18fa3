package org.optout.notifier.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks deploy/monitoring: every alert is complete, the chart's copy of the rules is the same file, and the dashboard
 * takes its data source as an import input. {@link #referencedMetrics()} lists the application metrics both files use,
 * for a test against the live /q/metrics.
 */
public class MonitoringFilesTest {

    private static final Path RULES = Path.of("deploy/monitoring/prometheus-rules.yaml");
    private static final Path CHART_RULES = Path.of("helm/optout-notifier/files/prometheus-rules.yaml");
    private static final Path DASHBOARD = Path.of("deploy/monitoring/grafana-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\b(?:optout|kafka)_[a-z0-9_]+");
    /** An intended pause makes the backlog grow; it has its own alert, and the backlog alerts keep quiet meanwhile. */
    private static final String NOT_PAUSED = " unless on() max(optout_sending_paused{job=\"optout-notifier\"}) == 1";

    /**
     * The metric names, as written, of the application's own ({@code optout_...}) and its Kafka client's
     * ({@code kafka_...}) metrics that the alert rules and the dashboard query.
     */
    public static Set<String> referencedMetrics() {
        Set<String> metrics = new TreeSet<>();
        expressions().forEach(expression -> {
            Matcher matcher = METRIC.matcher(expression);
            while (matcher.find()) {
                metrics.add(matcher.group());
            }
        });
        return metrics;
    }

    @Test
    void everyAlertHasAnExpressionADurationASeverityAndASummary() {
        List<JsonNode> alerts = alerts();
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(7);
        for (JsonNode alert : alerts) {
            String name = alert.path("alert").asText();
            assertThat(alert.path("expr").asText()).as(name).isNotBlank();
            assertThat(alert.path("for").asText()).as(name).matches("[0-9]+[smh]");
            assertThat(alert.at("/labels/severity").asText()).as(name).isIn("critical", "warning", "info");
            assertThat(alert.at("/annotations/summary").asText()).as(name).isNotBlank();
        }
    }

    @Test
    void theAlertsCoverBacklogFailuresRefusalsRejectionsLagPauseAndDownInstances() {
        List<String> expressions = alerts().stream().map(alert -> alert.path("labels").path("severity").asText()
                + " " + alert.path("for").asText() + " " + alert.path("expr").asText()).toList();
        assertThat(expressions).contains(
                "critical 1m max(optout_reminders_oldest_due_age_seconds{job=\"optout-notifier\"}) > 900" + NOT_PAUSED,
                "warning 1m max(optout_reminders_oldest_due_age_seconds{job=\"optout-notifier\"}) > 300" + NOT_PAUSED,
                "info 1h max(optout_sending_paused{job=\"optout-notifier\"}) == 1",
                "warning 5m up{job=\"optout-notifier\"} == 0");
        assertThat(expressions)
                .anyMatch(e -> e.startsWith("warning 15m") && e.contains("optout_reminders_failed_total"))
                .anyMatch(e -> e.startsWith("warning 15m") && e.contains("outcome=\"rejected\""))
                .anyMatch(e -> e.startsWith("critical 5m") && e.contains("optout_smtp_refusals_total")
                        && e.contains("verdict=\"relay\""))
                .anyMatch(e -> e.startsWith("warning 10m")
                        && e.contains("kafka_consumer_fetch_manager_records_lag_max"));
    }

    @Test
    void theBacklogAlertsKeepQuietDuringAnIntendedPause() {
        List<JsonNode> backlog = alerts().stream()
                .filter(alert -> alert.path("expr").asText().contains("optout_reminders_oldest_due_age_seconds"))
                .toList();
        assertThat(backlog).hasSize(2);
        backlog.forEach(alert -> assertThat(alert.path("expr").asText()).as(alert.path("alert").asText())
                .endsWith(NOT_PAUSED));
    }

    @Test
    void theChartsRulesAreACopyOfThisFile() throws IOException {
        assertThat(Files.readString(CHART_RULES)).isEqualTo(Files.readString(RULES));
    }

    @Test
    void theDashboardAsksForItsPrometheusOnImport() {
        JsonNode dashboard = dashboard();
        assertThat(dashboard.at("/__inputs/0/name").asText()).isEqualTo("DS_PROMETHEUS");
        assertThat(dashboard.at("/__inputs/0/pluginId").asText()).isEqualTo("prometheus");
        for (JsonNode panel : dashboard.path("panels")) {
            String title = panel.path("title").asText();
            assertThat(panel.at("/datasource/uid").asText()).as(title).isEqualTo("${DS_PROMETHEUS}");
            assertThat(panel.path("targets")).as(title).isNotEmpty();
        }
    }

    @Test
    void bothFilesUseTheApplicationsMetrics() {
        assertThat(referencedMetrics()).contains("optout_events_consumed_total", "optout_reminders_planned_total",
                "optout_reminders_sent_total", "optout_reminders_failed_total", "optout_reminders_retried_total",
                "optout_smtp_refusals_total",
                "optout_reminders_due", "optout_reminders_oldest_due_age_seconds", "optout_smtp_send_seconds_bucket",
                "optout_smtp_send_seconds_sum", "optout_smtp_send_seconds_count", "optout_smtp_send_seconds_max",
                "optout_sending_paused", "optout_changes_awaiting_approval",
                "kafka_consumer_fetch_manager_records_lag_max");
    }

    private static List<String> expressions() {
        List<String> expressions = new ArrayList<>();
        alerts().forEach(alert -> expressions.add(alert.path("expr").asText()));
        dashboard().path("panels").forEach(panel -> panel.path("targets")
                .forEach(target -> expressions.add(target.path("expr").asText())));
        return expressions;
    }

    private static List<JsonNode> alerts() {
        List<JsonNode> alerts = new ArrayList<>();
        try (var in = Files.newInputStream(RULES)) {
            JsonNode rules = new ObjectMapper().valueToTree(new Yaml().load(in));
            rules.path("groups").forEach(group -> group.path("rules").forEach(alerts::add));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return alerts;
    }

    private static JsonNode dashboard() {
        try {
            return new ObjectMapper().readTree(DASHBOARD.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
