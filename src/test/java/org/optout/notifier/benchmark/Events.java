package org.optout.notifier.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.optout.notifier.infrastructure.CloudEventRecords;
import org.optout.notifier.policy.PolicyChangeConsumer;
import org.optout.notifier.subscription.SubscriptionRequestConsumer;

/**
 * What organisations publish, as they publish it: policy-change and subscription-request CloudEvents on the
 * service's topics. The change is the LinkedIn sample of deploy/samples, with an id, a revision and a date of the
 * benchmark's choosing.
 */
public final class Events implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLE = Path.of("deploy/samples/linkedin-genai-training-2025.json");

    private final KafkaProducer<String, String> producer;

    Events(String bootstrapServers) {
        this(bootstrapServers, Map.of());
    }

    /** With these producer settings on top of the benchmark's. */
    public Events(String bootstrapServers, Map<String, String> settings) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("key.serializer", StringSerializer.class.getName());
        config.put("value.serializer", StringSerializer.class.getName());
        config.put("linger.ms", "5");
        config.put("acks", "all");
        config.putAll(settings);
        producer = new KafkaProducer<>(config);
    }

    /** The sample change as {@code changeId}, taking effect that day, in these regions. */
    public static String changeData(String changeId, LocalDate effective, List<String> regions) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) JSON.readValue(Files.readString(SAMPLE), Map.class)
                .get("data");
        data.put("changeId", changeId);
        data.put("effectiveDate", effective.toString());
        data.put("regions", regions);
        return JSON.writeValueAsString(data);
    }

    static ProducerRecord<String, String> change(String changeId, LocalDate effective, List<String> regions)
            throws Exception {
        return CloudEventRecords.structured(PolicyChangeConsumer.CHANNEL, changeId, PolicyChangeConsumer.TYPE,
                ServiceUnderTest.SOURCE, changeId + "-r1", changeData(changeId, effective, regions));
    }

    static ProducerRecord<String, String> signUp(String id, String email, String country) throws Exception {
        String data = JSON.writeValueAsString(Map.of("email", email, "country", country,
                "platforms", List.of("linkedin")));
        return CloudEventRecords.structured(SubscriptionRequestConsumer.CHANNEL, email, SubscriptionRequestConsumer.TYPE,
                ServiceUnderTest.SOURCE, id, data);
    }

    public Future<RecordMetadata> send(ProducerRecord<String, String> record) {
        return producer.send(record);
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
