package org.optout.notifier.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.optout.notifier.infrastructure.KafkaBroker;

/** The outbox is relayed in batches: every outcome once, in order within a relay, whoever relays at the same time. */
@QuarkusTest
class OutboxRelayTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    NotificationOutcomes outcomes;

    @Test
    void oneRelayPublishesEveryOutcomeOnceInTheOrderRecordedAndEmptiesTheOutbox() throws Exception {
        String changeId = "relay-" + UUID.randomUUID();
        int count = NotificationOutcomes.RELAY_BATCH * 2 + 50;
        record(changeId, count);

        outcomes.relay();

        assertThat(leadDays(published(changeId, count))).containsExactlyElementsOf(
                IntStream.range(0, count).boxed().toList());
        assertThat(waiting(changeId)).isZero();
    }

    @Test
    void relaysRunningAtOnceShareTheOutboxWithoutPublishingAnythingTwice() throws Exception {
        String changeId = "relay-" + UUID.randomUUID();
        int count = NotificationOutcomes.RELAY_BATCH * 4;
        record(changeId, count);

        CompletableFuture.allOf(CompletableFuture.runAsync(outcomes::relay), CompletableFuture.runAsync(outcomes::relay),
                CompletableFuture.runAsync(outcomes::relay)).get();

        assertThat(leadDays(published(changeId, count))).hasSize(count).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, count).boxed().toList());
        assertThat(waiting(changeId)).isZero();
    }

    private void record(String changeId, int count) {
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < count; i++) {
                outcomes.record(changeId, NotificationOutcomes.SENT_TYPE,
                        new NotificationOutcomes.ReminderSent(changeId, 1, i, false, "pseudonym"));
            }
        });
    }

    /** Waits for the expected number, then reads the whole topic for a while: a record too many would be there. */
    private static List<ConsumerRecord<String, String>> published(String changeId, int count) {
        KafkaBroker.companion().consumeStrings().fromTopics(NotificationOutcomes.CHANNEL,
                r -> r.select().where(record -> changeId.equals(record.key())).select().first(count))
                .awaitCompletion(WAIT);
        return KafkaBroker.companion().consumeStrings().fromTopics(NotificationOutcomes.CHANNEL, Duration.ofSeconds(3))
                .awaitCompletion(WAIT).getRecords().stream().filter(record -> changeId.equals(record.key())).toList();
    }

    private static List<Integer> leadDays(List<ConsumerRecord<String, String>> records) throws Exception {
        List<Integer> days = new java.util.ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            days.add(JSON.readTree(record.value()).path("data").path("leadDay").asInt());
        }
        return days;
    }

    private static long waiting(String changeId) {
        return QuarkusTransaction.requiringNew().call(() -> OutboxEvent.count("eventKey", changeId));
    }
}
