package org.optout.notifier.deployment;

import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.optout.notifier.infrastructure.SmtpServer;
import org.optout.notifier.policy.PolicyChangeConsumer;
import org.optout.notifier.policy.PolicyChanges;

/**
 * What the tests of the packaged application give a production instance: every required setting as an environment
 * variable, for a PostgreSQL database of the test's own on the test server (trust authentication), a Kafka cluster
 * and the test run's SMTP server. Each test adds or replaces what it is about.
 */
final class ProductionEnvironment {

    static final String ADMIN_URL = System.getProperty("test.postgresql.url",
            "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = System.getProperty("test.postgresql.user", "postgres");
    static final String BASE_URL = "https://optout.example.org";

    private ProductionEnvironment() {
    }

    /** The JDBC URL of a database on the test server. */
    static String databaseUrl(String database) {
        return ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + database;
    }

    /** Drops the database if a previous run left it (with its connections) and creates it empty; its URL. */
    static String recreateDatabase(String database) throws SQLException {
        dropDatabase(database);
        administer("create database " + database);
        return databaseUrl(database);
    }

    static void dropDatabase(String database) throws SQLException {
        administer("drop database if exists " + database + " with (force)");
    }

    /**
     * The policy-changes topic with three partitions, as two or three instances need, whichever test of the shared
     * broker comes first (a consumer or producer would otherwise create it with one).
     */
    static void policyChangesTopic(KafkaCompanion kafka) {
        if (!kafka.topics().list().contains(PolicyChangeConsumer.CHANNEL)) {
            kafka.topics().createAndWait(PolicyChangeConsumer.CHANNEL, 3);
        }
    }

    /** The required settings, in a map the caller may change. */
    static Map<String, String> of(String databaseUrl, String kafkaBootstrapServers) {
        return new HashMap<>(Map.ofEntries(
                Map.entry("QUARKUS_DATASOURCE_JDBC_URL", databaseUrl),
                Map.entry("QUARKUS_DATASOURCE_USERNAME", USER),
                // Trust authentication on the test server: any password does, but production requires one.
                Map.entry("QUARKUS_DATASOURCE_PASSWORD", "unused-with-trust-auth"),
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers),
                Map.entry("NOTIFIER_KAFKA_GROUP_ID", "optout-notifier-it-" + UUID.randomUUID()),
                Map.entry("QUARKUS_MAILER_HOST", "127.0.0.1"),
                Map.entry("QUARKUS_MAILER_PORT", String.valueOf(SmtpServer.sharedPort())),
                Map.entry("QUARKUS_MAILER_TLS", "false"),
                Map.entry("QUARKUS_MAILER_START_TLS", "DISABLED"),
                Map.entry("QUARKUS_MAILER_FROM", "optout-notifier <noreply@optout.example.org>"),
                Map.entry("NOTIFIER_BASE_URL", BASE_URL),
                Map.entry("NOTIFIER_POLICY_ALLOWED_SOURCES", PolicyChanges.PCPD),
                Map.entry("NOTIFIER_TOKEN_KEY", "packaged-application-it-token-key-0123456789"),
                Map.entry("NOTIFIER_EMAIL_HASH_KEY", "packaged-application-it-email-hash-key-0123456789"),
                Map.entry("NOTIFIER_ADMIN_PASSWORD", "packaged-application-it-admin")));
    }

    private static void administer(String sql) throws SQLException {
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, USER, null);
                Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }

    /** A fixed offset whose local time is about 13:00 now, well inside the default waking hours (8 to 21). */
    static ZoneOffset zoneWhereItIsEarlyAfternoon() {
        int hours = 13 - Instant.now().atZone(ZoneOffset.UTC).getHour();
        return ZoneOffset.ofHours(hours > 14 ? hours - 24 : hours < -12 ? hours + 24 : hours);
    }
}
