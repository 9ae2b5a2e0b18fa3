package org.optout.notifier.health;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.health.api.Wellness;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.optout.notifier.config.KafkaAdminSettings;

/**
 * Reports whether the Kafka cluster answers, at {@code /q/health/well} and {@code /q/health}. Deliberately not a
 * readiness check: sign-up, preferences and unsubscribe need only the database, so a Kafka outage must not take every
 * replica out of the load balancer. Consumers resume by themselves when the broker returns.
 */
@Wellness
@ApplicationScoped
public class KafkaBrokerCheck implements HealthCheck {

    private static final long TIMEOUT_MS = 3_000;

    private final Map<String, Object> kafkaConfig;
    private AdminClient admin;

    KafkaBrokerCheck(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.kafkaConfig = kafkaConfig;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Kafka cluster")
                .withData("bootstrap.servers", String.valueOf(kafkaConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)));
        try {
            int nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT_MS))
                    .nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).size();
            return response.up().withData("nodes", nodes).build();
        } catch (Exception e) {
            return response.down().withData("error", e.getClass().getSimpleName()).build();
        }
    }

    private synchronized AdminClient admin() {
        if (admin == null) {
            admin = AdminClient.create(KafkaAdminSettings.of(kafkaConfig, Map.of(
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS)));
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
