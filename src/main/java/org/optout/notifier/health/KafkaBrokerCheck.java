package org.optout.notifier.health;

import io.smallrye.health.api.Wellness;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.optout.notifier.inbox.KafkaConnection;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Reports whether the Kafka cluster answers, at {@code /q/health/well} and {@code /q/health}. Deliberately not a
 * readiness check: sign-up, preferences and unsubscribe need only the database, so a Kafka outage must not take every
 * replica out of the load balancer. Consumers resume by themselves when the broker returns.
 */
@Wellness
@ApplicationScoped
public class KafkaBrokerCheck implements HealthCheck {

    private static final long TIMEOUT_MS = 3_000;

    private final KafkaConnection kafka;
    private AdminClient admin;

    KafkaBrokerCheck(KafkaConnection kafka) {
        this.kafka = kafka;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Kafka cluster")
                .withData("bootstrap.servers", kafka.bootstrapServers());
        try {
            int nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT_MS))
                    .nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).size();
            return response.up().withData("nodes", nodes).build();
        } catch (Exception e) {
            // The cause, not the future's wrapper: bad credentials and an unreachable broker need different fixes.
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            return response.down().withData("error", cause.getClass().getSimpleName()).build();
        }
    }

    private synchronized AdminClient admin() {
        if (admin == null) {
            admin = AdminClient.create(kafka.with(Map.of(
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
