package org.optout.notifier.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.optout.notifier.benchmark.Events;
import org.optout.notifier.benchmark.ServiceUnderTest;
import org.optout.notifier.infrastructure.CloudEventRecords;
import org.optout.notifier.policy.PolicyChangeConsumer;
import org.optout.notifier.subscription.SubscriptionRequestConsumer;

/**
 * An organisation's producer as a careful one is configured: idempotent, every replica acknowledging, retrying for
 * ten minutes (so a broker restart delays records and neither loses nor doubles them), compressing with zstd (so a
 * hostile 3 MB value gets past the broker as it would in the wild).
 */
final class Publisher implements AutoCloseable {

    static final List<String> REGIONS = List.of("EU", "EEA", "CH", "CA", "HK");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Events events;

    Publisher(String bootstrapServers) {
        events = new Events(bootstrapServers, Map.of("enable.idempotence", "true",
                "delivery.timeout.ms", String.valueOf(Duration.ofMinutes(10).toMillis()),
                "compression.type", "zstd", "max.request.size", String.valueOf(16 * 1024 * 1024)));
    }

    /** The LinkedIn sample as change {@code changeId} at {@code revision}, in an event of id {@code eventId}. */
    static ProducerRecord<String, String> change(String topic, String changeId, int revision, String eventId,
            LocalDate effective) throws Exception {
        return CloudEventRecords.structured(topic, changeId, PolicyChangeConsumer.TYPE, ServiceUnderTest.SOURCE,
                eventId, changeData(changeId, revision, effective, Map.of()));
    }

    /** The sample's data with some fields replaced (or added, or made null). */
    static String changeData(String changeId, int revision, LocalDate effective, Map<String, Object> replaced)
            throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> data = JSON.readValue(Events.changeData(changeId, effective, REGIONS), Map.class);
        data.put("revision", revision);
        data.putAll(replaced);
        return JSON.writeValueAsString(data);
    }

    static ProducerRecord<String, String> signUp(String topic, String id, String email) throws Exception {
        return CloudEventRecords.structured(topic, email, SubscriptionRequestConsumer.TYPE, ServiceUnderTest.SOURCE,
                id, signUpData(email, Map.of()));
    }

    static String signUpData(String email, Map<String, Object> replaced) throws Exception {
        Map<String, Object> data = new java.util.HashMap<>(Map.of("email", email, "country", "HK",
                "platforms", List.of("linkedin")));
        data.putAll(replaced);
        return JSON.writeValueAsString(data);
    }

    Future<RecordMetadata> send(ProducerRecord<String, String> record) {
        return events.send(record);
    }

    void flush() {
        events.flush();
    }

    @Override
    public void close() {
        events.close();
    }
}
