package org.optout.notifier.subscription;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.optout.notifier.config.KafkaAdminSettings;
import org.optout.notifier.config.NotifierConfig;

/**
 * Gives the subscription-requests topic and its dead-letter topic their short retention at start (creating them if
 * needed): requests there carry email addresses that erasure cannot reach, so they must not stay longer than
 * configured. Runs in the background; a broker that is down only delays it to the next start, with a warning.
 */
@ApplicationScoped
public class SubscriptionRequestTopic {

    private static final long TIMEOUT_SECONDS = 30;

    private final Map<String, Object> kafkaConfig;
    private final NotifierConfig.Kafka settings;
    private final List<String> topics;

    SubscriptionRequestTopic(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, NotifierConfig config,
            @ConfigProperty(name = "mp.messaging.incoming.subscription-requests.topic") String topic,
            @ConfigProperty(name = "mp.messaging.incoming.subscription-requests.dead-letter-queue.topic")
            String deadLetterTopic) {
        this.kafkaConfig = kafkaConfig;
        this.settings = config.kafka();
        this.topics = List.of(topic, deadLetterTopic);
    }

    void onStart(@Observes StartupEvent start) {
        if (settings.manageTopicRetention()) {
            Infrastructure.getDefaultWorkerPool().execute(this::applyRetention);
        }
    }

    void applyRetention() {
        try (AdminClient admin = AdminClient.create(KafkaAdminSettings.of(kafkaConfig, Map.of()))) {
            for (String topic : topics) {
                applyRetention(admin, topic);
            }
        }
    }

    private void applyRetention(AdminClient admin, String topic) {
        String retention = String.valueOf(settings.subscriptionRequestsRetention().toMillis());
        try {
            try {
                admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, retention))))
                        .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                        new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, retention), AlterConfigOp.OpType.SET))))
                        .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            Log.infof("Topic %s keeps records for %s", topic, settings.subscriptionRequestsRetention());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Log.warnf("Could not set the retention of topic %s (%s); it applies at the next start", topic,
                    e.getMessage());
        }
    }
}
