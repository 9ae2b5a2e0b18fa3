package org.optout.notifier.inbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.optout.notifier.inbox.ProcessedEvent.EventKey;
import org.optout.notifier.infrastructure.CloudEventRecords;
import org.optout.notifier.infrastructure.KafkaBroker;

/** A batch that cannot be stored as a whole: its records are stored one by one, and only the culprit is refused. */
@QuarkusTest
@Tag("persistence")
class RecordBatchesTest {

    private static final KafkaCompanion kafka = KafkaBroker.companion();
    private static final String SOURCE = "test:record-batches";

    @Inject
    RecordBatches batches;

    @Test
    void aRecordThatFailsItsBatchIsDeadLetteredAloneAndTheOthersAreStored() {
        String run = UUID.randomUUID().toString();
        String deadLetters = "record-batches-test-dlq";
        List<ProducerRecord<String, String>> batch = List.of(
                CloudEventRecords.raw("record-batches-test", run, "good-1"),
                CloudEventRecords.raw("record-batches-test", run, "poison"),
                CloudEventRecords.raw("record-batches-test", run, "good-2"));

        batches.consume("record-batches-test", deadLetters, CloudEventRecords.polled(0, batch),
                record -> new String(record.value(), UTF_8), (events, refuse) -> {
                    ProcessedEvents processed = ProcessedEvents.among(List.of());
                    for (String event : events) {
                        processed.mark(new EventKey(SOURCE, run + "-" + event), Instant.now());
                        if (event.equals("poison")) {
                            // Written, then the transaction fails: as a broken row or a bug would fail it.
                            throw new IllegalStateException("cannot store " + event);
                        }
                    }
                });

        assertThat(stored(run)).containsExactlyInAnyOrder(run + "-good-1", run + "-good-2");
        ConsumerRecord<String, String> letter = kafka.consumeStrings().fromTopics(deadLetters, records -> records
                .select().where(r -> run.equals(r.key())).select().first(1))
                .awaitCompletion(Duration.ofSeconds(30)).getRecords().get(0);
        assertThat(letter.value()).isEqualTo("poison");
        assertThat(new String(letter.headers().lastHeader("dead-letter-reason").value(), UTF_8))
                .isEqualTo("processing failed " + RecordBatches.ATTEMPTS_ALONE + " times: "
                        + IllegalStateException.class.getName());
        assertThat(new String(letter.headers().lastHeader("dead-letter-offset").value(), UTF_8)).isEqualTo("1");
    }

    @Test
    void aPollOfOneRecordThatCannotBeStoredIsTriedAsOftenAsARecordAlone() {
        String run = UUID.randomUUID().toString();
        AtomicInteger attempts = new AtomicInteger();

        batches.consume("record-batches-test", "record-batches-test-dlq", CloudEventRecords.polled(0,
                List.of(CloudEventRecords.raw("record-batches-test", run, "poison"))),
                record -> new String(record.value(), UTF_8), (events, refuse) -> {
                    attempts.incrementAndGet();
                    throw new IllegalStateException("cannot store " + events);
                });

        // Not once as a batch and then as often again alone.
        assertThat(attempts).hasValue(RecordBatches.ATTEMPTS_ALONE);
    }

    private static List<String> stored(String run) {
        return QuarkusTransaction.requiringNew().call(() -> ProcessedEvent.<ProcessedEvent>list(
                "key.source = ?1 and key.eventId like ?2", SOURCE, run + "-%")).stream()
                .map(event -> event.key.eventId).toList();
    }
}
