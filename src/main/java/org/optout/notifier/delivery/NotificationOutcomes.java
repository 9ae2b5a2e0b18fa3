package org.optout.notifier.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes what the service did to the {@value #CHANNEL} topic, as structured CloudEvents keyed by change id, for
 * the organisations that published the changes. Never carries an email address.
 */
@ApplicationScoped
public class NotificationOutcomes {

    public static final String CHANNEL = "notification-outcomes";
    public static final String DRY_RUN_TYPE = "optout.change.dry-run.v1";
    public static final String SOURCE = "urn:optout-notifier";
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    /** The data of a dry-run outcome: how many active subscribers the change would reach. */
    public record DryRunCounted(String changeId, int revision, long matchingSubscribers) {
    }

    private final Emitter<String> emitter;
    private final ObjectMapper json;
    private final Clock clock;

    NotificationOutcomes(@Channel(CHANNEL) Emitter<String> emitter, ObjectMapper json, Clock clock) {
        this.emitter = emitter;
        this.json = json;
        this.clock = clock;
    }

    /** Sends and waits for the broker's acknowledgement, so that a failure fails the caller's transaction. */
    public void dryRunCounted(DryRunCounted outcome) {
        publish(outcome.changeId(), DRY_RUN_TYPE, outcome);
    }

    private void publish(String key, String type, Object data) {
        String event = toJson(Map.of("specversion", "1.0", "id", UUID.randomUUID().toString(), "source", SOURCE,
                "type", type, "time", clock.instant().toString(), "datacontenttype", "application/json",
                "data", data));
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
        CompletableFuture<Void> acked = new CompletableFuture<>();
        emitter.send(Message.of(event)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(headers).build())
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                }));
        try {
            acked.get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing an outcome", e);
        } catch (Exception e) {
            throw new IllegalStateException("Outcome not published: " + e.getMessage(), e);
        }
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Outcomes always serialise", e);
        }
    }
}
