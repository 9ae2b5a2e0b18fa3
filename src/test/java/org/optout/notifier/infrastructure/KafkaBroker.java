package org.optout.notifier.infrastructure;

import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real single-node KRaft Kafka broker in this JVM, started once and shared by every test (and by
 * {@link LocalInfrastructure} for local runs).
 */
public final class KafkaBroker {

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

    static EmbeddedKafkaBroker start(Path logDir, int port) {
        return new EmbeddedKafkaBroker()
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
}
