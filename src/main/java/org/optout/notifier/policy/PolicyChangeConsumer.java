package org.optout.notifier.policy;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes the {@value #CHANNEL} topic. A record that breaks the contract throws, and the channel's failure strategy
 * moves it to the dead-letter topic with the reason; the offset is committed only after the transaction committed.
 */
@ApplicationScoped
public class PolicyChangeConsumer {

    public static final String CHANNEL = "policy-changes";
    public static final String DEAD_LETTER_TOPIC = "policy-changes-dlq";

    private final PolicyChangeIntake intake;

    PolicyChangeConsumer(PolicyChangeIntake intake) {
        this.intake = intake;
    }

    @Incoming(CHANNEL)
    @io.smallrye.reactive.messaging.annotations.Blocking
    public void consume(byte[] payload) {
        intake.accept(PolicyChangeEvent.parse(payload));
    }
}
