package org.optout.notifier.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.optout.notifier.inbox.Retrying;

/**
 * Liveness of the Kafka consumers: DOWN when a record has been in processing for {@value #STUCK_AFTER_MINUTES}
 * minutes for another reason than an unreachable database, so that Kubernetes restarts the pod. A database outage is
 * waited out, not restarted away (restarting would not bring the database back, and readiness already says it is
 * down); the connector's own check of unprocessed records is switched off because it cannot tell the two apart.
 */
@Liveness
@ApplicationScoped
public class IntakeCheck implements HealthCheck {

    static final int STUCK_AFTER_MINUTES = 2;

    @Override
    public HealthCheckResponse call() {
        Optional<String> stuck = Retrying.stuckSince(Instant.now().minus(Duration.ofMinutes(STUCK_AFTER_MINUTES)));
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Kafka intake").status(stuck.isEmpty());
        stuck.ifPresent(work -> response.withData("stuck", work));
        return response.build();
    }
}
