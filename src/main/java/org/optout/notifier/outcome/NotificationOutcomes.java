package org.optout.notifier.outcome;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.hibernate.Session;

/**
 * Publishes what the service did to the {@value #CHANNEL} topic, as structured CloudEvents keyed by change id, for
 * the organisations that published the changes. Never carries an email address; a subscriber appears only as a
 * pseudonym. Outcomes of state changes ({@link #record}) go through the outbox: written in the caller's transaction,
 * relayed after it committed.
 */
@ApplicationScoped
public class NotificationOutcomes {

    public static final String CHANNEL = "notification-outcomes";
    public static final String DRY_RUN_TYPE = "optout.change.dry-run.v1";
    public static final String SOURCE = "urn:optout-notifier";
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    static final int RELAY_BATCH = 200;

    public static final String SENT_TYPE = "optout.reminder.sent.v1";
    public static final String CANCELLED_TYPE = "optout.change.cancelled.v1";
    public static final String FAILED_TYPE = "optout.reminder.failed.v1";

    /** The data of a dry-run outcome: how many active subscribers the change would reach. */
    public record DryRunCounted(String changeId, int revision, long matchingSubscribers) {
    }

    /** A reminder went out. */
    public record ReminderSent(String changeId, int revision, int leadDay, boolean catchUp, String subscriber) {
    }

    /**
     * A reminder did not go out and will not: {@code reason} is {@code rejected} (a permanent SMTP failure, with its
     * reply code), {@code retries-exhausted} (transient failures until shortly before the deadline, with the last reply
     * code if any), {@code suppressed} (the address bounces or complained) or {@code deadline-passed}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReminderFailed(String changeId, int revision, int leadDay, boolean catchUp, String subscriber,
            String reason, Integer smtpReplyCode) {
    }

    /** A change was called off: how many pending reminders were cancelled. */
    public record ChangeCancelled(String changeId, int revision, long remindersCancelled) {
    }

    private static final byte[] CONTENT_TYPE = "application/cloudevents+json".getBytes(StandardCharsets.UTF_8);

    private final Emitter<String> emitter;
    private final KafkaClientService kafka;
    private final String topic;
    private final ObjectMapper json;
    private final Clock clock;
    private volatile Producer<String, String> producer;

    NotificationOutcomes(@Channel(CHANNEL) Emitter<String> emitter, KafkaClientService kafka,
            @ConfigProperty(name = "mp.messaging.outgoing." + CHANNEL + ".topic", defaultValue = CHANNEL) String topic,
            ObjectMapper json, Clock clock) {
        this.emitter = emitter;
        this.kafka = kafka;
        this.topic = topic;
        this.json = json;
        this.clock = clock;
    }

    /** Sends and waits for the broker's acknowledgement, so that a failure fails the caller's transaction. */
    public void dryRunCounted(DryRunCounted outcome) {
        publish(outcome.changeId(), DRY_RUN_TYPE, outcome);
    }

    /** An outcome to record: the change it is about (its key), its CloudEvent type and data. */
    public record Outcome(String changeId, String type, Object data) {
    }

    /** Writes an outcome into the outbox, in the caller's transaction. */
    public void record(String changeId, String type, Object data) {
        recordAll(List.of(new Outcome(changeId, type, data)));
    }

    /**
     * Writes outcomes into the outbox, in the caller's transaction, in one statement: a batch of mails records a
     * hundred at once, and PostgreSQL spends more CPU per statement than per row (the outbox's identity ids rule out
     * Hibernate's own insert batching).
     */
    public void recordAll(List<Outcome> recorded) {
        if (recorded.isEmpty()) {
            return;
        }
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        String rows = String.join(", ", Collections.nCopies(recorded.size(), "(?, ?, ?, ?, ?)"));
        OutboxEvent.getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("insert into outbox_event "
                    + "(event_id, event_key, event_type, payload, created_at) values " + rows)) {
                int parameter = 0;
                for (Outcome outcome : recorded) {
                    String id = UUID.randomUUID().toString();
                    insert.setString(++parameter, id);
                    insert.setString(++parameter, outcome.changeId());
                    insert.setString(++parameter, outcome.type());
                    insert.setString(++parameter, cloudEvent(id, outcome.type(), outcome.data()));
                    insert.setObject(++parameter, now);
                }
                insert.executeUpdate();
            }
        });
    }

    /**
     * Relays what the outbox holds, oldest first, a batch at a time: sent together, one wait for all of the broker's
     * acknowledgements, deleted by one statement. Another instance's relay skips the rows this one holds (so the
     * outcomes of two batches may interleave across replicas; each carries its time). A failure rolls the batch back:
     * it is sent again, and consumers deduplicate by the CloudEvent id.
     */
    @Scheduled(every = "5s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public void relay() {
        int relayed;
        do {
            relayed = QuarkusTransaction.requiringNew().call(this::relayBatch);
        } while (relayed == RELAY_BATCH);
    }

    /**
     * In SQL both databases run, not HQL: the delete by a list of ids was translated again for every batch's length,
     * and the entities were read only to be deleted.
     */
    @SuppressWarnings("unchecked")
    private int relayBatch() {
        EntityManager em = OutboxEvent.getEntityManager();
        List<Object[]> batch = em.createNativeQuery("select e.id, e.event_key, e.payload from outbox_event e "
                + "order by e.id fetch first " + RELAY_BATCH + " rows only for update skip locked").getResultList();
        if (batch.isEmpty()) {
            return 0;
        }
        await(CompletableFuture.allOf(batch.stream().map(event -> send((String) event[1], (String) event[2]))
                .toArray(CompletableFuture[]::new)));
        em.createNativeQuery("delete from outbox_event where id = any(?1)")
                .setParameter(1, batch.stream().map(event -> ((Number) event[0]).longValue()).toArray(Long[]::new))
                .executeUpdate();
        return batch.size();
    }

    /**
     * One event now and then, through the channel's emitter: the relay sends with the channel's producer, and a channel
     * with no emitter at all is reported as unconnected at every start.
     */
    private void publish(String key, String type, Object data) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        emitter.send(Message.of(cloudEvent(UUID.randomUUID().toString(), type, data))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(headers()).build())
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                }));
        await(acked);
    }

    private String cloudEvent(String id, String type, Object data) {
        return toJson(Map.of("specversion", "1.0", "id", id, "source", SOURCE,
                "type", type, "time", clock.instant().toString(), "datacontenttype", "application/json",
                "data", data));
    }

    /**
     * Completes when the broker acknowledged the record. Sent with the channel's own producer (as configured for the
     * channel), not through an emitter: a message, its metadata and a reactive pipeline per outcome were a tenth of the
     * dispatcher's time at two thousand mails a second.
     */
    private CompletableFuture<Void> send(String key, String event) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        producer().send(new ProducerRecord<>(topic, null, key, event, headers()), (metadata, failure) -> {
            if (failure == null) {
                acked.complete(null);
            } else {
                acked.completeExceptionally(failure);
            }
        });
        return acked;
    }

    private static RecordHeaders headers() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CONTENT_TYPE);
        return headers;
    }

    private Producer<String, String> producer() {
        Producer<String, String> current = producer;
        if (current == null) {
            current = kafka.<String, String>getProducer(CHANNEL).unwrap();
            producer = current;
        }
        return current;
    }

    private static void await(CompletableFuture<Void> acked) {
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
