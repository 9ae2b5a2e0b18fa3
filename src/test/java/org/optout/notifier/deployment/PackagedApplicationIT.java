package org.optout.notifier.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.optout.notifier.infrastructure.Crowd;
import org.optout.notifier.infrastructure.KafkaBroker;
import org.optout.notifier.infrastructure.PackagedApplication;
import org.optout.notifier.infrastructure.SmtpServer;
import org.optout.notifier.policy.PolicyChangeConsumer;
import org.optout.notifier.policy.PolicyChanges;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The packaged application as production runs it: {@code java -jar quarkus-run.jar} in the {@code %prod} profile,
 * configured by environment variables only, against PostgreSQL (a database of its own, recreated per run), the test
 * run's Kafka broker and SMTP server. Two instances share one policy change and its reminders; one of them is killed
 * in the middle of the delivery.
 */
class PackagedApplicationIT {

    private static final Logger LOG = Logger.getLogger(PackagedApplicationIT.class);
    private static final String DATABASE = "optout_prod_it";
    private static final String USER = ProductionEnvironment.USER;
    private static final String URL = ProductionEnvironment.databaseUrl(DATABASE);
    private static final String BASE_URL = ProductionEnvironment.BASE_URL;
    /**
     * The batch of the two-instance test (NOTIFIER_DELIVERY_BATCH), small enough that both instances record batches
     * before the kill; with the batches under way at once, the most a killed instance can have sent and not recorded.
     */
    private static final int BATCH = 20;
    private static final int BATCHES_IN_FLIGHT = 2;
    private static final int SUBSCRIBERS = 300;
    /** The deployment's budget: two instances share it and send the 300 mails in about 15 s. */
    private static final int MAILS_PER_SECOND = 20;
    private static final Duration START = Duration.ofSeconds(90);

    private static Map<String, String> production;

    @BeforeAll
    static void infrastructure() throws SQLException {
        production = ProductionEnvironment.of(ProductionEnvironment.recreateDatabase(DATABASE),
                KafkaBroker.sharedBootstrapServers());
        production.put("NOTIFIER_DELIVERY_POLL", "1s");
        production.put("NOTIFIER_DELIVERY_MAX_MAILS_PER_SECOND", String.valueOf(MAILS_PER_SECOND));
    }

    @Test
    void startUpNamesTheMissingTokenKey() throws Exception {
        assertThat(failedStartWithout("NOTIFIER_TOKEN_KEY"))
                .contains("The config property notifier.token-key is required");
    }

    @Test
    void startUpNamesTheMissingDatabaseUrl() throws Exception {
        assertThat(failedStartWithout("QUARKUS_DATASOURCE_JDBC_URL"))
                .contains("Could not expand value QUARKUS_DATASOURCE_JDBC_URL");
    }

    @Test
    void startUpNamesEveryMissingRequiredSettingInOneMessage() throws Exception {
        List<String> required = List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
                "QUARKUS_DATASOURCE_PASSWORD", "KAFKA_BOOTSTRAP_SERVERS", "QUARKUS_MAILER_HOST", "QUARKUS_MAILER_FROM",
                "NOTIFIER_BASE_URL", "notifier.policy.allowed-sources", "notifier.token-key", "notifier.email-hash-key",
                "notifier.admin-password");
        String output = failedStart("nothing-set", Map.of());
        String message = output.substring(output.indexOf("Configuration validation failed"));
        assertThat(message).contains(required);
        assertThat(output).as("nothing was attempted before the check").doesNotContain("Flyway", "Listening on");
    }

    /**
     * Health, metrics and the OpenAPI document are on the management port, which no Ingress routes; the main port
     * serves the application and none of them, nor Swagger UI.
     */
    @Test
    void internalEndpointsAreServedOnlyOnTheManagementPort() throws Exception {
        try (PackagedApplication application = PackagedApplication.start("management-port", production)) {
            application.awaitReady(START);
            for (String internal : List.of("/q/health/ready", "/q/health", "/q/metrics", "/q/openapi",
                    "/q/swagger-ui/")) {
                assertThat(PackagedApplication.status(application.uri(internal))).as("main port " + internal)
                        .isEqualTo(404);
            }
            for (String internal : List.of("/q/health/live", "/q/health/started", "/q/metrics", "/q/openapi")) {
                assertThat(PackagedApplication.status(application.managementUri(internal)))
                        .as("management port " + internal).isEqualTo(200);
            }
            assertThat(PackagedApplication.status(application.managementUri("/q/swagger-ui/")))
                    .as("Swagger UI is not in the production build").isEqualTo(404);
            assertThat(PackagedApplication.status(application.uri("/deadlines"))).isEqualTo(200);
        }
    }

    /**
     * Two instances, one consumer group, one database, one broker, one relay: one policy change is consumed by one of
     * them, and its reminders, due at once, reach the relay once across both, although one instance is killed (SIGKILL)
     * halfway. The dispatcher records a batch of subscribers per transaction, a few batches under way, so a killed
     * instance can resend at most the mails of the batches it had in flight (one per subscriber here, at most
     * {@link #BATCH} times {@link #BATCHES_IN_FLIGHT}).
     */
    @Test
    void twoInstancesConsumeAChangeOnceAndDeliverEveryReminderOnceDespiteAKill() throws Exception {
        KafkaCompanion kafka = KafkaBroker.companion();
        ProductionEnvironment.policyChangesTopic(kafka);
        Map<String, String> first = new HashMap<>(production);
        first.put("NOTIFIER_DELIVERY_BATCH", String.valueOf(BATCH));
        first.put("NOTIFIER_DELIVERY_BATCHES_IN_FLIGHT", String.valueOf(BATCHES_IN_FLIGHT));
        Map<String, String> second = new HashMap<>(first);
        // The same check of the JSON logging switch costs nothing here.
        second.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true");
        long started = System.nanoTime();
        try (PackagedApplication a = PackagedApplication.start("instance-a", first);
                PackagedApplication b = PackagedApplication.start("instance-b", second)) {
            a.awaitReady(START);
            b.awaitReady(START);
            LOG.infof("Two instances ready in %.1f s", seconds(started));
            assertThat(count("select count(*) from information_schema.tables where table_schema = 'public'"
                    + " and table_name in ('policy_change', 'subscription', 'reminder', 'processed_event')"))
                    .as("tables made by Flyway").isEqualTo(4);
            assertThat(a.output()).contains("Profile prod activated");
            assertThat(a.output()).doesNotContain("\"loggerName\"");
            assertThat(b.output()).as("JSON console logs").contains("\"loggerName\"");
            awaitPolicyChangeConsumers(kafka, 2);

            String prefix = "it-" + UUID.randomUUID();
            ZoneOffset zone = ProductionEnvironment.zoneWhereItIsEarlyAfternoon();
            PGSimpleDataSource database = new PGSimpleDataSource();
            database.setUrl(URL);
            database.setUser(USER);
            Crowd.subscribers(database, prefix, SUBSCRIBERS, "HK", zone.getId(), "linkedin");
            // Lead day 7 is already past for everyone: one catch-up each, due now (inside their waking hours).
            Map<String, Object> change = PolicyChanges.data("it-" + UUID.randomUUID(), 1);
            change.put("effectiveDate", LocalDate.now(zone).plusDays(4).toString());
            PolicyChanges.publish(kafka, PolicyChanges.structured(PolicyChanges.PCPD, "it-event-1", change));
            long published = System.nanoTime();

            SmtpServer.awaitReminders(prefix, SUBSCRIBERS / 3, Duration.ofSeconds(60));
            int beforeKill = SmtpServer.reminderIdsReceived(prefix).size();
            b.kill();
            LOG.infof("Killed %s after %d of %d reminders had arrived (%.1f s after publishing)", b.name(), beforeKill,
                    SUBSCRIBERS, seconds(published));
            SmtpServer.awaitReminders(prefix, SUBSCRIBERS, Duration.ofSeconds(90));
            double delivery = seconds(published);
            // Whatever a dying instance still had in flight has had time to show up.
            Thread.sleep(2_000);

            Map<Long, Integer> received = SmtpServer.reminderIdsReceived(prefix);
            int mails = received.values().stream().mapToInt(Integer::intValue).sum();
            String consumer = storedBy(a) == 1 ? a.name() : b.name();
            LOG.infof("%d mails for %d reminders (%d duplicates) in %.1f s after publishing, %d sent by %s and %d by %s;"
                    + " the change was stored by %s", mails, received.size(), mails - received.size(), delivery,
                    sentBy(a), a.name(), sentBy(b), b.name(), consumer);
            assertThat(received).as("a reminder for every subscriber").hasSize(SUBSCRIBERS);
            assertThat(mails - received.size()).as("duplicates").isLessThanOrEqualTo(BATCH * BATCHES_IN_FLIGHT);
            assertThat(count("select count(*) from reminder where status = 'SENT'")).isEqualTo(SUBSCRIBERS);
            assertThat(count("select count(*) from policy_change")).isEqualTo(1);
            assertThat(count("select count(*) from processed_event")).isEqualTo(1);
            assertThat(storedBy(a) + storedBy(b)).as("instances that stored the change").isEqualTo(1);
            assertThat(beforeKill).as("killed mid-delivery").isLessThan(SUBSCRIBERS);
            assertThat(sentBy(a)).as("mails sent by " + a.name()).isPositive();
            assertThat(sentBy(b)).as("mails sent by " + b.name()).isPositive();
            assertThat(SmtpServer.text(SmtpServer.shared().getReceivedMessages()[0])).contains(BASE_URL + "/");
        }
    }

    private String failedStartWithout(String variable) throws Exception {
        Map<String, String> environment = new HashMap<>(production);
        environment.remove(variable);
        return failedStart("without-" + variable, environment);
    }

    private static String failedStart(String name, Map<String, String> environment) throws Exception {
        try (PackagedApplication application = PackagedApplication.start(name, environment)) {
            assertThat(application.awaitExit(START)).as("exit code").isNotZero();
            return application.output();
        }
    }

    /** Waits until the consumer group has this many members reading policy-changes partitions. */
    private static void awaitPolicyChangeConsumers(KafkaCompanion kafka, int members) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        long assigned = 0;
        while (Instant.now().isBefore(deadline)) {
            assigned = kafka.consumerGroups().describe(production.get("NOTIFIER_KAFKA_GROUP_ID")).members().stream()
                    .filter(member -> member.assignment().topicPartitions().stream()
                            .anyMatch(partition -> partition.topic().equals(PolicyChangeConsumer.CHANNEL)))
                    .count();
            if (assigned == members) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(assigned + " policy-changes consumers in the group, expected " + members);
    }

    private static int storedBy(PackagedApplication instance) {
        return instance.output().contains("revision 1 stored") ? 1 : 0;
    }

    /** Mails accepted, from the dispatcher's line per batch ("Batch of 100 subscribers: 98 mails accepted of 100"). */
    private static long sentBy(PackagedApplication instance) {
        java.util.regex.Matcher batch = java.util.regex.Pattern.compile("subscribers: (\\d+) mails accepted")
                .matcher(instance.output());
        long sent = 0;
        while (batch.find()) {
            sent += Long.parseLong(batch.group(1));
        }
        return sent;
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL, USER, null);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
