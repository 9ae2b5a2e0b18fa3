package org.optout.notifier.policy;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.optout.notifier.inbox.CloudEventReader;

/**
 * Consumes the {@value #CHANNEL} topic. A record that breaks the contract throws, and the channel's failure strategy
 * moves it to the dead-letter topic with the reason; the offset is committed only after the transaction committed.
 */
@ApplicationScoped
public class PolicyChangeConsumer {

    public static final String CHANNEL = "policy-changes";
    public static final String DEAD_LETTER_TOPIC = "policy-changes-dlq";
    static final int MAX_BYTES = 256 * 1024;

    private final PolicyChangeIntake intake;

    PolicyChangeConsumer(PolicyChangeIntake intake) {
        this.intake = intake;
    }

    @Incoming(CHANNEL)
    @io.smallrye.reactive.messaging.annotations.Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        intake.accept(PolicyChangeEvent.from(CloudEventReader.read(record, PolicyChangeEvent.TYPE, MAX_BYTES)));
    }
}
