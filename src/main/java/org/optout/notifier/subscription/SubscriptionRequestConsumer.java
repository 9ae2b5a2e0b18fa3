package org.optout.notifier.subscription;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.optout.notifier.inbox.CloudEventReader;
import org.optout.notifier.inbox.EventMetrics;
import org.optout.notifier.inbox.InvalidEventException;
import org.optout.notifier.inbox.ProcessedEvent;
import org.optout.notifier.inbox.Retrying;

/**
 * Sign-ups that organisations forward on the {@value #CHANNEL} topic. Each goes through the same validation and the
 * same double opt-in mail as the web form; a redelivered event (same {@code source} + {@code id}) is recorded once;
 * an invalid one goes to {@value #DEAD_LETTER_TOPIC} with the reason.
 */
@ApplicationScoped
public class SubscriptionRequestConsumer {

    public static final String CHANNEL = "subscription-requests";
    public static final String DEAD_LETTER_TOPIC = "subscription-requests-dlq";
    public static final String TYPE = "optout.subscription-request.v1";
    static final int MAX_BYTES = 16 * 1024;

    private final SubscriptionValidator validator;
    private final SubscriptionService service;
    private final ObjectMapper json;
    private final Clock clock;
    private final EventMetrics metrics;

    SubscriptionRequestConsumer(SubscriptionValidator validator, SubscriptionService service, ObjectMapper json,
            Clock clock, EventMetrics metrics) {
        this.validator = validator;
        this.service = service;
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        metrics.counted(CHANNEL, () -> {
            CloudEvent event = CloudEventReader.read(record, TYPE, MAX_BYTES);
            ValidatedRequest request = validator.validate(read(event), Language.EN);
            String source = event.getSource().toString();
            Retrying.run("Subscription request " + event.getId(), () -> QuarkusTransaction.requiringNew()
                    .run(() -> queue(request, source, event.getId())));
        });
    }

    /** Records the event as processed and queues the request, in one transaction. */
    private void queue(ValidatedRequest request, String source, String id) {
        if (!ProcessedEvent.markProcessed(source, id, clock.instant())) {
            Log.infof("Subscription request %s from %s already processed: skipped", id, source);
            return;
        }
        service.receive(request, Origin.KAFKA, source);
        Log.infof("Subscription request %s from %s for %s queued", id, source, EmailAddresses.mask(request.email()));
    }

    private SubscriptionRequest read(CloudEvent event) {
        try {
            SubscriptionRequest request = json.readValue(event.getData().toBytes(), SubscriptionRequest.class);
            if (request == null) {
                throw new InvalidEventException("data: must be a JSON object");
            }
            return request;
        } catch (IOException e) {
            throw new InvalidEventException("data: not a subscription request (" + e.getClass().getSimpleName() + ")");
        }
    }
}
