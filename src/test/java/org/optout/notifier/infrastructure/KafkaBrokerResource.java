package org.optout.notifier.infrastructure;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import java.util.Map;

/** Points every {@code @QuarkusTest} at the shared real Kafka broker. */
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", KafkaBroker.sharedBootstrapServers());
    }

    @Override
    public void stop() {
        // The broker outlives one application start: it is shared by the whole run and closed at JVM exit.
    }
}
