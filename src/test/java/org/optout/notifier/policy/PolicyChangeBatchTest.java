package org.optout.notifier.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optout.notifier.policy.PolicyChanges.PCPD;
import static org.optout.notifier.policy.PolicyChanges.count;
import static org.optout.notifier.policy.PolicyChanges.data;
import static org.optout.notifier.policy.PolicyChanges.header;
import static org.optout.notifier.policy.PolicyChanges.stored;
import static org.optout.notifier.policy.PolicyChanges.structured;
import static org.optout.notifier.policy.PolicyChangeContractTest.newChangeId;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.optout.notifier.inbox.ProcessedEvent;
import org.optout.notifier.infrastructure.CloudEventRecords;
import org.optout.notifier.infrastructure.KafkaBroker;

/**
 * One poll's records as the consumer gets them, stored in one transaction against the real database, with the
 * dead letters on the real broker: valid events, an invalid one, a duplicate, two revisions of one change in order
 * and two out of order, and a publisher that is not allowed.
 */
@QuarkusTest
@Tag("persistence")
class PolicyChangeBatchTest {

    private static final KafkaCompanion kafka = KafkaBroker.companion();

    @Inject
    PolicyChangeConsumer consumer;

    @BeforeEach
    void aSubscriberToPlanFor() {
        PolicyChanges.canadianLinkedInSubscriber();
    }

    @Test
    void aBatchStoresItsValidEventsInOrderAndDeadLettersEachInvalidOneAlone() {
        String a = newChangeId();
        String b = newChangeId();
        String c = newChangeId();
        String brokenKey = "broken-" + UUID.randomUUID();
        Map<String, Object> revisedA = data(a, 2);
        revisedA.put("title", "Revised " + a);
        Map<String, Object> lateB = data(b, 1);
        lateB.put("title", "Late copy of revision 1");
        List<ProducerRecord<String, String>> batch = List.of(
                structured(PCPD, "evt-" + a + "-1", data(a, 1)),
                CloudEventRecords.raw(PolicyChangeConsumer.CHANNEL, brokenKey, "not a CloudEvent",
                        CloudEventRecords.header("content-type", "application/cloudevents+json")),
                structured(PCPD, "evt-" + a + "-1", data(a, 1)),
                structured(PCPD, "evt-" + b + "-2", data(b, 2)),
                structured(PCPD, "evt-" + a + "-2", revisedA),
                structured(PCPD, "evt-" + b + "-1", lateB),
                structured("https://impostor.example.org", "evt-" + c + "-impostor", data(c, 1)),
                structured(PCPD, "evt-" + c + "-1", data(c, 1)));
        long firstOffset = 1_000_000 + (long) (Math.random() * 1_000_000_000);

        consumer.consume(CloudEventRecords.polled(firstOffset, batch));

        PolicyChange changeA = stored(a).orElseThrow();
        assertThat(changeA.revision).isEqualTo(2);
        assertThat(changeA.title).isEqualTo("Revised " + a);
        assertThat(count("from PolicyChangeRevision r where r.policyChangeId = ?1", changeA.id)).isEqualTo(2);
        PolicyChange changeB = stored(b).orElseThrow();
        assertThat(changeB.revision).isEqualTo(2);
        assertThat(count("from PolicyChangeRevision r where r.policyChangeId = ?1", changeB.id)).isEqualTo(1);
        assertThat(stored(c).orElseThrow().source).isEqualTo(PCPD);
        assertThat(processed("evt-" + a + "-1")).isEqualTo(1);
        assertThat(processed("evt-" + b + "-1")).isZero();
        assertThat(processed("evt-" + c + "-impostor")).isZero();

        List<ConsumerRecord<String, String>> letters = kafka.consumeStrings()
                .fromTopics(PolicyChangeConsumer.DEAD_LETTER_TOPIC, records -> records.select()
                        .where(r -> Set.of(brokenKey, b, c).contains(r.key())).select().first(3))
                .awaitCompletion(PolicyChanges.WAIT).getRecords().stream()
                // Letters of different keys are on different partitions: in order within each.
                .sorted(Comparator.comparing(letter -> Long.valueOf(header(letter, "dead-letter-offset")))).toList();
        assertThat(letters).extracting(letter -> header(letter, "dead-letter-offset")).containsExactly(
                String.valueOf(firstOffset + 1), String.valueOf(firstOffset + 5), String.valueOf(firstOffset + 6));
        assertThat(header(letters.get(0), "dead-letter-reason"))
                .startsWith("value: not a CloudEvent in structured or binary mode");
        assertThat(letters.get(0).value()).isEqualTo("not a CloudEvent");
        assertThat(header(letters.get(1), "dead-letter-reason"))
                .isEqualTo("data.revision: 1 is not newer than the stored 2 of " + b + " (newer)");
        assertThat(letters.get(1).value()).contains("Late copy of revision 1");
        assertThat(header(letters.get(2), "dead-letter-reason")).isEqualTo("source: https://impostor.example.org is "
                + "not allowed to publish policy changes (notifier.policy.allowed-sources)");
        assertThat(letters).allSatisfy(letter -> {
            assertThat(header(letter, "dead-letter-topic")).isEqualTo(PolicyChangeConsumer.CHANNEL);
            assertThat(header(letter, "dead-letter-partition")).isEqualTo("0");
            assertThat(header(letter, "content-type")).isEqualTo("application/cloudevents+json");
        });
    }

    private static long processed(String eventId) {
        return QuarkusTransaction.requiringNew().call(() -> ProcessedEvent.count("key.eventId", eventId));
    }
}
