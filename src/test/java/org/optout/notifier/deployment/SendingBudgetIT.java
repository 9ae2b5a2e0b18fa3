package org.optout.notifier.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.optout.notifier.infrastructure.Crowd;
import org.optout.notifier.infrastructure.KafkaBroker;
import org.optout.notifier.infrastructure.PackagedApplication;
import org.optout.notifier.infrastructure.SmtpServer;
import org.optout.notifier.policy.PolicyChanges;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The relay's quota is the deployment's: two packaged instances on PostgreSQL share
 * {@code NOTIFIER_DELIVERY_MAX_MAILS_PER_SECOND}, measured at the SMTP server over a minute, and when one is killed the
 * other takes the whole of it within the heartbeat period.
 */
class SendingBudgetIT {

    private static final Logger LOG = Logger.getLogger(SendingBudgetIT.class);
    private static final String DATABASE = "optout_budget_it";
    private static final int BUDGET = 10;
    private static final String COUNTRY = "NZ";
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final Duration MEASURED = Duration.ofMinutes(1);
    /** Enough due reminders for the minute, the kill and the measure after it, with some to spare. */
    private static final int SUBSCRIBERS = 1_200;
    private static final Duration START = Duration.ofSeconds(90);

    @Test
    void twoInstancesStayWithinTheBudgetAndTheSurvivorTakesAllOfItWithinAHeartbeat() throws Exception {
        String url = ProductionEnvironment.recreateDatabase(DATABASE);
        Map<String, String> environment = ProductionEnvironment.of(url, KafkaBroker.sharedBootstrapServers());
        environment.put("NOTIFIER_DELIVERY_POLL", "1s");
        environment.put("NOTIFIER_DELIVERY_BATCH", "20");
        environment.put("NOTIFIER_DELIVERY_MAX_MAILS_PER_SECOND", String.valueOf(BUDGET));
        environment.put("NOTIFIER_DELIVERY_HEARTBEAT", HEARTBEAT.toSeconds() + "s");
        KafkaCompanion kafka = KafkaBroker.companion();
        ProductionEnvironment.policyChangesTopic(kafka);
        try (PackagedApplication a = PackagedApplication.start("budget-a", environment);
                PackagedApplication b = PackagedApplication.start("budget-b", new HashMap<>(environment))) {
            a.awaitReady(START);
            b.awaitReady(START);
            String prefix = "budget-" + UUID.randomUUID();
            ZoneOffset zone = ProductionEnvironment.zoneWhereItIsEarlyAfternoon();
            PGSimpleDataSource database = new PGSimpleDataSource();
            database.setUrl(url);
            database.setUser(ProductionEnvironment.USER);
            // A country no other test's change names: the ITs share the broker's topic and each new consumer group reads
            // it from the start, so a change another IT left for Hong Kong put its reminders into these mails too (20
            // reminders a second counted while the two instances sent 5 mails a second each).
            Crowd.subscribers(database, prefix, SUBSCRIBERS, COUNTRY, zone.getId(), "linkedin");
            // Lead day 7 is already past for everyone: one catch-up each, all due now.
            Map<String, Object> change = PolicyChanges.data("budget-" + UUID.randomUUID(), 1);
            change.put("regions", List.of(COUNTRY));
            change.put("effectiveDate", LocalDate.now(zone).plusDays(4).toString());
            PolicyChanges.publish(kafka, PolicyChanges.structured(PolicyChanges.PCPD, "budget-event-1", change));

            SmtpServer.awaitReminders(prefix, BUDGET, Duration.ofSeconds(60));
            double together = rate(prefix, MEASURED);
            LOG.infof("Two instances: %.2f mails/s over %s (budget %d)", together, MEASURED, BUDGET);
            assertThat(together).as("mails/s of both together").isBetween(BUDGET * 0.8, BUDGET * 1.05);
            assertThat(a.output()).contains("mails accepted");
            assertThat(b.output()).contains("mails accepted");
            // On PostgreSQL, the projection of what still waits (the lead day 1 reminders too): in time, at the rate
            // measured while a backlog waited, at most the quota.
            String projection = asAdmin(a.uri("/api/admin/changes"), environment.get("NOTIFIER_ADMIN_PASSWORD"));
            assertThat(projection).containsPattern("\"marginSeconds\":[1-9][0-9]*,\"late\":0,"
                    + "\"mailsPerSecond\":([1-9]\\.[0-9]+|10\\.0)}");

            b.kill();
            Thread.sleep(HEARTBEAT.toMillis());
            double alone = rate(prefix, Duration.ofSeconds(15));
            LOG.infof("After the kill, one instance: %.2f mails/s", alone);
            assertThat(alone).as("mails/s of the survivor, a heartbeat after the kill").isBetween(BUDGET * 0.8,
                    BUDGET * 1.1);
        } finally {
            ProductionEnvironment.dropDatabase(DATABASE);
        }
    }

    private static String asAdmin(URI uri, String password) throws Exception {
        String credentials = Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                .header("Authorization", "Basic " + credentials).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + uri).isEqualTo(200);
        return response.body();
    }

    /** Mails per second arriving at the SMTP server during {@code period}. */
    private static double rate(String prefix, Duration period) throws Exception {
        long before = mails(prefix);
        long start = System.nanoTime();
        Thread.sleep(period.toMillis());
        long after = mails(prefix);
        return (after - before) / ((System.nanoTime() - start) / 1e9);
    }

    private static long mails(String prefix) throws Exception {
        return SmtpServer.reminderIdsReceived(prefix).values().stream().mapToLong(Integer::longValue).sum();
    }
}
