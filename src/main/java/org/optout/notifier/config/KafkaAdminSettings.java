package org.optout.notifier.config;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Settings of the Kafka admin clients the service creates itself, taken from the configuration Quarkus gives every
 * Kafka client ({@code default-kafka-broker}: bootstrap servers and, when set, the SASL/SSL settings), so that they
 * reach a secured cluster like the consumers do. Settings admin clients do not know (group id, ...) are left out.
 */
public final class KafkaAdminSettings {

    private KafkaAdminSettings() {
    }

    public static Map<String, Object> of(Map<String, Object> kafkaConfig, Map<String, Object> overrides) {
        Map<String, Object> settings = new HashMap<>();
        kafkaConfig.forEach((name, value) -> {
            if (AdminClientConfig.configNames().contains(name)) {
                settings.put(name, value);
            }
        });
        settings.putAll(overrides);
        return settings;
    }
}
