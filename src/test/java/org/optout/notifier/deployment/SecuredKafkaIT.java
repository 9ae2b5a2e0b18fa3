package org.optout.notifier.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.optout.notifier.outcome.NotificationOutcomes;
import org.optout.notifier.infrastructure.KafkaBroker;
import org.optout.notifier.infrastructure.PackagedApplication;
import org.optout.notifier.policy.PolicyChanges;

/**
 * The packaged application against a Kafka cluster that lets no client in without SASL authentication (PLAIN or
 * SCRAM-SHA-512 on its only client listener), configured as production is, by {@code KAFKA_SECURITY_PROTOCOL},
 * {@code KAFKA_SASL_MECHANISM} and {@code KAFKA_SASL_JAAS_CONFIG}. With a wrong password an instance reports Kafka
 * down and leaves a policy change on the topic; with the right one, the next instance reports Kafka up and stores it.
 */
class SecuredKafkaIT {

    private static final Logger LOG = Logger.getLogger(SecuredKafkaIT.class);
    private static final String DATABASE = "optout_sasl_it";
    private static final String KAFKA_USER = "optout-notifier";
    private static final String KAFKA_PASSWORD = "sasl-it-" + UUID.randomUUID();
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** How long an instance with a wrong password is watched not storing the change (a right one takes about 2 s). */
    private static final Duration NOT_STORED_FOR = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String databaseUrl;
    private static EmbeddedKafkaBroker broker;
    private static KafkaCompanion kafka;

    @BeforeAll
    static void infrastructure() throws SQLException {
        databaseUrl = ProductionEnvironment.recreateDatabase(DATABASE);
        broker = KafkaBroker.startRequiringSasl(Path.of("target", "kafka-sasl-" + ProcessHandle.current().pid()),
                KAFKA_USER, KAFKA_PASSWORD);
        kafka = new KafkaCompanion(broker.getAdvertisedListeners(), WAIT);
        kafka.setCommonClientConfig(KafkaBroker.saslClientConfig(KafkaBroker.SASL_SCRAM, KAFKA_USER,
                KAFKA_PASSWORD));
    }

    @AfterAll
    static void stop() throws SQLException {
        if (kafka != null) {
            kafka.close();
        }
        if (broker != null) {
            broker.close();
        }
        ProductionEnvironment.dropDatabase(DATABASE);
    }

    /**
     * The same policy change is left on the topic by an instance with a wrong password and stored by the next one,
     * with the right password, both by SASL/PLAIN.
     */
    @Test
    void consumesByPlainWithTheRightPasswordOnly() throws Exception {
        String changeId = publishChange();
        Map<String, String> environment = secured(KafkaBroker.SASL_PLAIN, "wrong-" + KAFKA_PASSWORD);
        long started = System.nanoTime();
        try (PackagedApplication intruder = PackagedApplication.start("sasl-plain-wrong-password", environment)) {
            intruder.awaitReady(START);
            JsonNode kafkaCheck = awaitKafkaWellness(intruder, "DOWN");
            assertThat(kafkaCheck.at("/data/error").asText()).as("what the operator reads in /q/health/well")
                    .isEqualTo("SaslAuthenticationException");
            Thread.sleep(NOT_STORED_FOR.toMillis());
            assertThat(stored(changeId)).as("policy changes stored with a wrong password").isZero();
            assertThat(intruder.output()).contains("Failed to poll consumer client `kafka-consumer-policy-changes`",
                    "SaslAuthenticationException: Authentication failed");
        }
        LOG.infof("Wrong password: ready, Kafka DOWN, nothing stored, in %.1f s", seconds(started));

        environment.put("KAFKA_SASL_JAAS_CONFIG",
                KafkaBroker.saslJaasConfig(KafkaBroker.SASL_PLAIN, KAFKA_USER, KAFKA_PASSWORD));
        assertConsumes(PackagedApplication.start("sasl-plain", environment), changeId);
    }

    /** By SCRAM-SHA-512, the outcome of a dry run also reaches its topic, through the service's producer. */
    @Test
    void consumesAndPublishesByScramSha512() throws Exception {
        String dryRunId = "sasl-dry-run-" + UUID.randomUUID();
        Map<String, Object> dryRun = PolicyChanges.data(dryRunId, 1);
        dryRun.put("dryRun", true);
        PolicyChanges.publish(kafka, PolicyChanges.structured(PolicyChanges.PCPD, dryRunId + "-r1", dryRun));
        // Behind the dry run on the topic's one partition: once this is stored, the dry run's outcome was sent.
        String changeId = publishChange();
        assertConsumes(PackagedApplication.start("sasl-scram",
                secured(KafkaBroker.SASL_SCRAM, KAFKA_PASSWORD)), changeId);
        ConsumerRecord<String, String> outcome = PolicyChanges.records(kafka, NotificationOutcomes.CHANNEL, dryRunId,
                1).get(0);
        assertThat(JSON.readTree(outcome.value()).path("type").asText()).isEqualTo(NotificationOutcomes.DRY_RUN_TYPE);
    }

    /**
     * Readiness, the wellness check's admin client, the topic-retention admin client at start, the consumer (the
     * change stored) and the producers (no authentication failure logged) all get in.
     */
    private static void assertConsumes(PackagedApplication started, String changeId) throws Exception {
        long since = System.nanoTime();
        try (PackagedApplication application = started) {
            application.awaitReady(START);
            assertThat(awaitKafkaWellness(application, "UP").path("data").path("nodes").asInt()).isEqualTo(1);
            awaitStored(changeId);
            assertThat(application.output()).contains("Profile prod activated", changeId + " revision 1 stored",
                    "Topic subscription-requests keeps records for").doesNotContain("Authentication failed");
            LOG.infof("%s: ready, Kafka UP, change stored, in %.1f s", application.name(), seconds(since));
        }
    }

    /** Publishes a new policy change (authenticated by SCRAM) and returns its id. */
    private static String publishChange() {
        String changeId = "sasl-" + UUID.randomUUID();
        PolicyChanges.publish(kafka, PolicyChanges.structured(PolicyChanges.PCPD, changeId + "-r1",
                PolicyChanges.data(changeId, 1)));
        return changeId;
    }

    /** Production settings for the secured broker, logging in as the test's Kafka user with this password. */
    private static Map<String, String> secured(String mechanism, String password) {
        Map<String, String> environment = ProductionEnvironment.of(databaseUrl, broker.getAdvertisedListeners());
        environment.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        environment.put("KAFKA_SASL_MECHANISM", mechanism);
        environment.put("KAFKA_SASL_JAAS_CONFIG", KafkaBroker.saslJaasConfig(mechanism, KAFKA_USER, password));
        return environment;
    }

    /** Waits until {@code /q/health/well} reports the Kafka check with this status, and returns the check. */
    private static JsonNode awaitKafkaWellness(PackagedApplication application, String status) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        JsonNode check = null;
        while (Instant.now().isBefore(deadline)) {
            JsonNode wellness = JSON.readTree(PackagedApplication.body(application.managementUri("/q/health/well")));
            for (JsonNode candidate : wellness.path("checks")) {
                if (candidate.path("name").asText().equals("Kafka cluster")) {
                    check = candidate;
                }
            }
            if (check != null && check.path("status").asText().equals(status)) {
                return check;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(application.name() + ": Kafka not " + status + " within " + WAIT + ": " + check);
    }

    private static void awaitStored(String changeId) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (stored(changeId) == 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("policy change " + changeId + " not stored within " + WAIT);
            }
            Thread.sleep(200);
        }
    }

    private static long stored(String changeId) throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl, ProductionEnvironment.USER, null);
                PreparedStatement statement = connection.prepareStatement(
                        "select count(*) from policy_change where change_id = ?")) {
            statement.setString(1, changeId);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
