package org.optout.notifier.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.optout.notifier.problem.ConflictProblem;

/**
 * The records a consumer moved to its dead-letter topic, for operators: listed with the reason and the event's
 * envelope (id, source, type; never the data, which for sign-ups holds addresses), and replayed one at a time to the
 * topic they came from once the cause is gone (a publisher newly allowed, a platform added to the catalogue). A
 * replayed event that was meanwhile processed is skipped by the consumer's idempotency.
 */
@ApplicationScoped
public class DeadLetters {

    /**
     * One dead-lettered record; {@code replaced} names what was too large to keep as received ({@code value},
     * {@code key}, {@code headers}; null when nothing was).
     */
    public record DeadLetter(String topic, int partition, long offset, Instant deadLetteredAt, String reason,
            String originalTopic, Integer originalPartition, Long originalOffset, String eventId, String eventSource,
            String eventType, String replaced) {
    }

    /** Where a replayed record went. */
    public record Replayed(String topic, int partition, long offset) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String HEADER_PREFIX = "dead-letter-";

    private final KafkaConnection kafka;
    private final ObjectMapper json;

    DeadLetters(KafkaConnection kafka, ObjectMapper json) {
        this.kafka = kafka;
        this.json = json;
    }

    /** The latest {@code limit} records of a dead-letter topic, newest first. */
    public List<DeadLetter> latest(String deadLetterTopic, int limit) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(deadLetterTopic, TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, TIMEOUT);
            for (TopicPartition partition : partitions) {
                consumer.seek(partition, Math.max(begins.get(partition), ends.get(partition) - limit));
            }
            List<DeadLetter> letters = new ArrayList<>();
            long until = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, TIMEOUT) < ends.get(p))
                    && System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> letters.add(describe(record)));
            }
            return letters.stream().sorted(Comparator.comparing(DeadLetter::deadLetteredAt).reversed()).limit(limit)
                    .toList();
        }
    }

    /** Sends one dead-lettered record again, as it was, to the topic it was first published to. */
    public Optional<Replayed> replay(String deadLetterTopic, String originalTopic, int partition, long offset) {
        Optional<ConsumerRecord<byte[], byte[]>> letter = read(deadLetterTopic, partition, offset);
        if (letter.isEmpty()) {
            return Optional.empty();
        }
        String replaced = replaced(letter.get());
        if (replaced != null && (replaced.contains("value") || replaced.contains("key"))) {
            String part = replaced.contains("value") ? "value" : "key";
            throw new ConflictProblem("This dead letter keeps only a digest of the record's " + part
                    + " (too large to keep), so it cannot be published again: ask its publisher to send it again.");
        }
        ProducerRecord<byte[], byte[]> again = new ProducerRecord<>(originalTopic, letter.get().key(),
                letter.get().value());
        for (Header header : letter.get().headers()) {
            if (!header.key().startsWith(HEADER_PREFIX)) {
                again.headers().add(header);
            }
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.with(Map.of(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.ACKS_CONFIG, "all")))) {
            RecordMetadata sent = producer.send(again).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Log.infof("Dead letter %s-%d@%d replayed to %s-%d@%d", deadLetterTopic, partition, offset, sent.topic(),
                    sent.partition(), sent.offset());
            return Optional.of(new Replayed(sent.topic(), sent.partition(), sent.offset()));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Replay not acknowledged by Kafka: " + e.getClass().getName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while replaying", e);
        }
    }

    private Optional<ConsumerRecord<byte[], byte[]>> read(String topic, int partition, long offset) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            TopicPartition at = new TopicPartition(topic, partition);
            if (consumer.partitionsFor(topic, TIMEOUT).stream().noneMatch(p -> p.partition() == partition)) {
                return Optional.empty();
            }
            consumer.assign(List.of(at));
            if (offset < consumer.beginningOffsets(List.of(at), TIMEOUT).get(at)
                    || offset >= consumer.endOffsets(List.of(at), TIMEOUT).get(at)) {
                return Optional.empty();
            }
            consumer.seek(at, offset);
            long until = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < until) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == offset) {
                        return Optional.of(record);
                    }
                }
            }
            return Optional.empty();
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(kafka.with(Map.of(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")));
    }

    private DeadLetter describe(ConsumerRecord<byte[], byte[]> record) {
        JsonNode envelope = envelope(record.value());
        return new DeadLetter(record.topic(), record.partition(), record.offset(),
                Instant.ofEpochMilli(record.timestamp()), header(record, DeadLetterSender.REASON),
                header(record, "dead-letter-topic"), number(header(record, "dead-letter-partition"), Integer::valueOf),
                number(header(record, "dead-letter-offset"), Long::valueOf),
                attribute(record, envelope, "id"), attribute(record, envelope, "source"),
                attribute(record, envelope, "type"), replaced(record));
    }

    /** What the dead-letter serializers replaced ({@link DeadLetterValue}), from every header that says so. */
    private static String replaced(ConsumerRecord<byte[], byte[]> record) {
        List<String> parts = new ArrayList<>();
        record.headers().headers(DeadLetterValue.REPLACED_HEADER)
                .forEach(header -> parts.add(new String(header.value(), StandardCharsets.UTF_8)));
        return parts.isEmpty() ? null : String.join(",", parts);
    }

    /** A CloudEvent attribute: a {@code ce_} header in binary mode, a top-level field in structured mode. */
    private static String attribute(ConsumerRecord<byte[], byte[]> record, JsonNode envelope, String name) {
        String header = header(record, "ce_" + name);
        if (header != null) {
            return header;
        }
        JsonNode field = envelope.get(name);
        return field != null && field.isTextual() ? field.asText() : null;
    }

    private JsonNode envelope(byte[] value) {
        try {
            JsonNode node = value == null ? null : json.readTree(value);
            return node != null && node.isObject() ? node : json.createObjectNode();
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static <T> T number(String text, Function<String, T> parse) {
        try {
            return text == null ? null : parse.apply(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
