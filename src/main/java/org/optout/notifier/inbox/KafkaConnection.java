package org.optout.notifier.inbox;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the service's own Kafka clients (health check, topic settings, dead-letter admin) reach the cluster: the same
 * bootstrap servers and security settings (SASL, TLS) as the messaging channels, taken from the {@code kafka.*}
 * configuration, so that a secured cluster needs them set once.
 */
@ApplicationScoped
public class KafkaConnection {

    private static final List<String> CONNECTION_PREFIXES = List.of("bootstrap.servers", "security.", "sasl.", "ssl.");

    private final Map<String, Object> kafkaConfig;

    KafkaConnection(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.kafkaConfig = kafkaConfig;
    }

    public String bootstrapServers() {
        return String.valueOf(kafkaConfig.get("bootstrap.servers"));
    }

    /** The connection settings plus the client's own. */
    public Map<String, Object> with(Map<String, Object> clientSettings) {
        Map<String, Object> settings = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (CONNECTION_PREFIXES.stream().anyMatch(key::startsWith)) {
                settings.put(key, value);
            }
        });
        settings.putAll(clientSettings);
        return settings;
    }
}
