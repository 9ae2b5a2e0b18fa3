package org.optout.notifier.infrastructure;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import java.util.Map;

/**
 * Points every {@code @QuarkusTest}'s mailer at the shared real SMTP server, through {@link SmtpFaults} (a pass-through
 * relay until a test asks it for failures).
 */
@WithTestResource(value = SmtpServerResource.class, scope = TestResourceScope.GLOBAL)
public class SmtpServerResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.mailer.port", String.valueOf(SmtpFaults.sharedPort()));
    }

    @Override
    public void stop() {
        // Shared by the whole run and stopped at JVM exit, like the broker.
    }
}
