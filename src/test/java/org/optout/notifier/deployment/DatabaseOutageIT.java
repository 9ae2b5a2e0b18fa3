package org.optout.notifier.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.optout.notifier.infrastructure.CloudEventRecords;
import org.optout.notifier.infrastructure.CuttableProxy;
import org.optout.notifier.infrastructure.KafkaBroker;
import org.optout.notifier.infrastructure.PackagedApplication;
import org.optout.notifier.infrastructure.SmtpServer;
import org.optout.notifier.policy.PolicyChangeConsumer;
import org.optout.notifier.policy.PolicyChanges;
import org.optout.notifier.subscription.SubscriptionRequestConsumer;

/**
 * The database goes away (a proxy in front of the machine's PostgreSQL cuts every connection and refuses new ones)
 * while organisations publish policy changes and forward sign-ups, then comes back: the packaged service stores every
 * event once, dead-letters none, answers every sign-up, and never restarts; readiness goes DOWN and back UP while
 * liveness stays UP throughout. The outage lasts {@code -Dreliability.database-outage-seconds} (75 by default: longer
 * than the minute after which the consumers used to give up and the connector to mark them dead).
 */
class DatabaseOutageIT {

    private static final Logger LOG = Logger.getLogger(DatabaseOutageIT.class);
    private static final String DATABASE = "optout_outage_it";
    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("reliability.database-outage-seconds", 75));
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int EVENTS = 3;
    private static final String POLICY_CHANGES = "policy-changes-outage-it";
    private static final String SIGN_UPS = "subscription-requests-outage-it";

    @Test
    void eventsPublishedWhileTheDatabaseIsDownAreAllProcessedOnceItIsBackWithoutARestart() throws Exception {
        ProductionEnvironment.recreateDatabase(DATABASE);
        KafkaCompanion kafka = KafkaBroker.companion();
        try (CuttableProxy proxy = new CuttableProxy(5432);
                PackagedApplication service = PackagedApplication.start("database-outage", environment(proxy))) {
            service.awaitReady(WAIT);

            proxy.cut();
            Instant cut = Instant.now();
            List<String> changes = new ArrayList<>();
            List<String> signUps = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                String changeId = "outage-" + UUID.randomUUID();
                changes.add(changeId);
                PolicyChanges.publish(kafka, CloudEventRecords.structured(POLICY_CHANGES, changeId,
                        PolicyChangeConsumer.TYPE, PolicyChanges.PCPD, "evt-" + changeId,
                        PolicyChanges.json(PolicyChanges.data(changeId, 1))));
                String email = "outage-" + UUID.randomUUID() + "@example.org";
                signUps.add(email);
                PolicyChanges.publish(kafka, CloudEventRecords.structured(SIGN_UPS, email,
                        SubscriptionRequestConsumer.TYPE, "https://newsroom.example.org", "evt-" + email,
                        "{\"email\":\"" + email + "\",\"country\":\"HK\",\"platforms\":[\"linkedin\"]}"));
            }
            boolean readinessWentDown = false;
            while (Instant.now().isBefore(cut.plus(OUTAGE))) {
                assertThat(status(service, "/q/health/live")).as("liveness during the outage").isEqualTo(200);
                readinessWentDown |= status(service, "/q/health/ready") == 503;
                Thread.sleep(2_000);
            }
            proxy.restore();
            LOG.infof("Database back after %d s", Duration.between(cut, Instant.now()).toSeconds());

            awaitStored(changes);
            for (String email : signUps) {
                assertThat(SmtpServer.awaitMessages(email, m -> true, 1, WAIT)).as("answer to " + email).hasSize(1);
            }
            service.awaitReady(WAIT);
            assertThat(readinessWentDown).as("readiness DOWN while the database was").isTrue();
            assertThat(status(service, "/q/health/live")).isEqualTo(200);
            assertThat(deadLetters()).as("records dead-lettered").isZero();
            assertThat(service.output()).contains("database unreachable").doesNotContain("Stopping");
        } finally {
            ProductionEnvironment.dropDatabase(DATABASE);
        }
    }

    /** Topics of its own: the other tests of the shared broker read the default ones from their beginning. */
    private static Map<String, String> environment(CuttableProxy proxy) {
        Map<String, String> environment = ProductionEnvironment.of(
                "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + DATABASE, KafkaBroker.sharedBootstrapServers());
        environment.put("MP_MESSAGING_INCOMING_POLICY_CHANGES_TOPIC", POLICY_CHANGES);
        environment.put("MP_MESSAGING_INCOMING_POLICY_CHANGES_DEAD_LETTER_QUEUE_TOPIC", POLICY_CHANGES + "-dlq");
        environment.put("MP_MESSAGING_INCOMING_SUBSCRIPTION_REQUESTS_TOPIC", SIGN_UPS);
        environment.put("MP_MESSAGING_INCOMING_SUBSCRIPTION_REQUESTS_DEAD_LETTER_QUEUE_TOPIC", SIGN_UPS + "-dlq");
        return environment;
    }

    private static int status(PackagedApplication service, String path) throws Exception {
        try {
            return PackagedApplication.status(service.managementUri(path));
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static void awaitStored(List<String> changeIds) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        String in = changeIds.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
        while (true) {
            try (Connection db = DriverManager.getConnection(ProductionEnvironment.databaseUrl(DATABASE),
                    ProductionEnvironment.USER, null);
                    PreparedStatement query = db.prepareStatement(
                            "select count(*) from policy_change where change_id in (" + in + ")");
                    ResultSet count = query.executeQuery()) {
                count.next();
                if (count.getInt(1) == changeIds.size()) {
                    return;
                }
            }
            assertThat(Instant.now()).as("policy changes stored by then").isBefore(deadline);
            Thread.sleep(500);
        }
    }

    /** Records on the service's two dead-letter topics, all partitions. */
    private static long deadLetters() throws Exception {
        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBroker.sharedBootstrapServers()))) {
            long total = 0;
            for (String topic : List.of(POLICY_CHANGES + "-dlq", SIGN_UPS + "-dlq")) {
                if (!admin.listTopics().names().get().contains(topic)) {
                    continue;
                }
                Map<TopicPartition, OffsetSpec> ends = admin.describeTopics(List.of(topic)).allTopicNames().get()
                        .get(topic).partitions().stream().collect(Collectors.toMap(
                                p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
                for (var offset : admin.listOffsets(ends).all().get().values()) {
                    total += offset.offset();
                }
            }
            return total;
        }
    }
}
