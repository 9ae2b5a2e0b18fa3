package org.optout.notifier.subscription;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.optout.notifier.inbox.CloudEventReader;
import org.optout.notifier.inbox.EventData;
import org.optout.notifier.inbox.InvalidEventException;
import org.optout.notifier.inbox.ProcessedEvent.EventKey;
import org.optout.notifier.inbox.ProcessedEvents;
import org.optout.notifier.inbox.RecordBatches;

/**
 * Sign-ups that organisations forward on the {@value #CHANNEL} topic, a poll at a time ({@link RecordBatches}). Each
 * goes through the same validation and the same double opt-in mail as the web form; a redelivered event (same
 * {@code source} + {@code id}) is recorded once; an invalid one goes to {@value #DEAD_LETTER_TOPIC} with the reason.
 */
@ApplicationScoped
public class SubscriptionRequestConsumer {

    public static final String CHANNEL = "subscription-requests";
    public static final String DEAD_LETTER_TOPIC = "subscription-requests-dlq";
    public static final String TYPE = "optout.subscription-request.v1";
    static final int MAX_BYTES = 16 * 1024;

    /** A forwarded sign-up, validated, and the event that carried it. */
    private record ForwardedSignUp(EventKey event, ValidatedRequest request) {
    }

    private final SubscriptionValidator validator;
    private final SubscriptionService service;
    private final ObjectMapper json;
    private final Clock clock;
    private final RecordBatches batches;
    private final String deadLetterTopic;

    SubscriptionRequestConsumer(SubscriptionValidator validator, SubscriptionService service, ObjectMapper json,
            Clock clock, RecordBatches batches,
            @ConfigProperty(name = "mp.messaging.incoming.subscription-requests.dead-letter-queue.topic")
            String deadLetterTopic) {
        this.validator = validator;
        this.service = service;
        this.json = json;
        this.clock = clock;
        this.batches = batches;
        this.deadLetterTopic = deadLetterTopic;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        batches.consume(CHANNEL, deadLetterTopic, records, this::read, (signUps, refuse) -> queue(signUps));
    }

    private ForwardedSignUp read(ConsumerRecord<String, byte[]> record) {
        CloudEvent event = CloudEventReader.read(record, TYPE, MAX_BYTES);
        return new ForwardedSignUp(new EventKey(event.getSource().toString(), event.getId()),
                validator.validate(read(event), Language.EN));
    }

    /** Records each event as processed and queues its request, in the batch's transaction. */
    private void queue(List<ForwardedSignUp> signUps) {
        ProcessedEvents processed = ProcessedEvents.among(signUps.stream().map(ForwardedSignUp::event).toList());
        Instant now = clock.instant();
        for (ForwardedSignUp signUp : signUps) {
            EventKey event = signUp.event();
            if (processed.contains(event)) {
                Log.infof("Subscription request %s from %s already processed: skipped", event.eventId, event.source);
                continue;
            }
            processed.mark(event, now);
            service.receive(signUp.request(), Origin.KAFKA, event.source);
            Log.infof("Subscription request %s from %s for %s queued", event.eventId, event.source,
                    EmailAddresses.mask(signUp.request().email()));
        }
    }

    private SubscriptionRequest read(CloudEvent event) {
        try {
            SubscriptionRequest request = EventData.read(event, json, SubscriptionRequest.class);
            if (request == null) {
                throw new InvalidEventException("data: must be a JSON object");
            }
            return request;
        } catch (IOException e) {
            throw new InvalidEventException("data: not a subscription request (" + e.getClass().getSimpleName() + ")");
        }
    }
}
