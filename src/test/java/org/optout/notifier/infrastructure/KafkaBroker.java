package org.optout.notifier.infrastructure;

import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * A real single-node KRaft Kafka broker in this JVM, started once and shared by every test (and by
 * {@link LocalInfrastructure} for local runs).
 */
public final class KafkaBroker {

    public static final String SASL_PLAIN = "PLAIN";
    public static final String SASL_SCRAM = "SCRAM-SHA-512";

    private static EmbeddedKafkaBroker shared;
    private static KafkaCompanion companion;

    private KafkaBroker() {
    }

    /** The broker of this test run, started on a free port under {@code target/} on first use. */
    public static synchronized String sharedBootstrapServers() {
        if (shared == null) {
            shared = start(Path.of("target", "kafka-" + ProcessHandle.current().pid()), 0);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "kafka-broker-shutdown"));
        }
        return shared.getAdvertisedListeners();
    }

    /** The client tests produce and consume with, against the shared broker; closed at JVM exit. */
    public static synchronized KafkaCompanion companion() {
        if (companion == null) {
            companion = new KafkaCompanion(sharedBootstrapServers(), Duration.ofSeconds(30));
            Runtime.getRuntime().addShutdownHook(new Thread(companion::close, "kafka-companion-shutdown"));
        }
        return companion;
    }

    /**
     * A broker of its own, as a secured cluster runs: its only client listener ({@code SASL_PLAINTEXT}, also the
     * inter-broker one) lets in {@code username} with {@code password} by SASL {@code PLAIN} or {@code SCRAM-SHA-512},
     * and nobody else; only the KRaft controller listener is plain. The caller closes it.
     */
    public static EmbeddedKafkaBroker startRequiringSasl(Path logDir, String username, String password) {
        int port = freePort();
        int controllerPort = freePort();
        String brokerPassword = "broker-" + password;
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()
                .withKafkaHost("localhost")
                .withKafkaPort(port)
                .withControllerPort(controllerPort)
                .withDeleteLogDirsOnClose(true)
                .withAdditionalProperties(properties -> {
                    properties.put("log.dir", logDir.toAbsolutePath().toString());
                    properties.put("auto.create.topics.enable", "true");
                    // One partition: what is published in order is consumed in order.
                    properties.put("num.partitions", "1");
                    properties.put("group.initial.rebalance.delay.ms", "0");
                    // Replaces the default PLAINTEXT client listener, so that no client gets in without SASL.
                    properties.put("listeners", "SASL_PLAINTEXT://localhost:" + port
                            + ",CONTROLLER://localhost:" + controllerPort);
                    properties.put("advertised.listeners", "SASL_PLAINTEXT://localhost:" + port);
                    properties.put("listener.security.protocol.map",
                            "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
                    properties.put("inter.broker.listener.name", "SASL_PLAINTEXT");
                    properties.put("sasl.enabled.mechanisms", SASL_PLAIN + "," + SASL_SCRAM);
                    properties.put("sasl.mechanism.inter.broker.protocol", SASL_PLAIN);
                    properties.put("listener.name.sasl_plaintext.plain.sasl.jaas.config",
                            "org.apache.kafka.common.security.plain.PlainLoginModule required"
                                    + " username=\"broker\" password=\"" + brokerPassword + "\""
                                    + " user_broker=\"" + brokerPassword + "\""
                                    + " user_" + username + "=\"" + password + "\";");
                    properties.put("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                            "org.apache.kafka.common.security.scram.ScramLoginModule required;");
                })
                .start();
        // SCRAM users live in the cluster metadata: the broker's own PLAIN login adds this one.
        Map<String, Object> admin = new HashMap<>(saslClientConfig(SASL_PLAIN, "broker", brokerPassword));
        admin.put("bootstrap.servers", broker.getAdvertisedListeners());
        try (Admin client = Admin.create(admin)) {
            client.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(username,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            broker.close();
            throw new IllegalStateException("Could not add the SCRAM user " + username, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            broker.close();
            throw new IllegalStateException(e);
        }
        return broker;
    }

    /** The JAAS line ({@code sasl.jaas.config}) of a client logging in by {@code PLAIN} or {@code SCRAM-SHA-512}. */
    public static String saslJaasConfig(String mechanism, String username, String password) {
        String module = mechanism.equals(SASL_PLAIN) ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        return module + " required username=\"" + username + "\" password=\"" + password + "\";";
    }

    /** The settings a client needs, besides the bootstrap servers, to reach {@link #startRequiringSasl}. */
    public static Map<String, Object> saslClientConfig(String mechanism, String username, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", mechanism,
                "sasl.jaas.config", saslJaasConfig(mechanism, username, password));
    }

    public static EmbeddedKafkaBroker start(Path logDir, int port) {
        return start(logDir, port, 0, null);
    }

    /**
     * A broker that can be killed and started again on the same ports, cluster id and folder, keeping its topics,
     * offsets and committed groups (as a restarted pod keeps its volume); {@code controllerPort} 0 and
     * {@code clusterId} null pick them.
     */
    public static EmbeddedKafkaBroker start(Path logDir, int port, int controllerPort, String clusterId) {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker();
        if (controllerPort != 0) {
            broker.withControllerPort(controllerPort);
        }
        if (clusterId != null) {
            broker.withClusterId(clusterId);
        }
        return broker
                .withKafkaHost("localhost")
                .withKafkaPort(port)
                .withDeleteLogDirsOnClose(true)
                .withAdditionalProperties(properties -> {
                    properties.put("log.dir", logDir.toAbsolutePath().toString());
                    properties.put("auto.create.topics.enable", "true");
                    properties.put("num.partitions", "3");
                    properties.put("group.initial.rebalance.delay.ms", "0");
                })
                .start();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
