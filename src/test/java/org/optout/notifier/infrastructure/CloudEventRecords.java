package org.optout.notifier.infrastructure;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;

/** Kafka records carrying CloudEvents as publishers send them, for tests. */
public final class CloudEventRecords {

    private CloudEventRecords() {
    }

    /** Structured mode: the whole event as JSON, {@code content-type: application/cloudevents+json}. */
    public static ProducerRecord<String, String> structured(String topic, String key, String type, String source,
            String id, String dataJson) {
        String event = """
                {"specversion":"1.0","id":"%s","source":"%s","type":"%s","datacontenttype":"application/json",
                 "data":%s}""".formatted(id, source, type, dataJson);
        return raw(topic, key, event, header("content-type", "application/cloudevents+json"));
    }

    /** Binary mode: attributes in {@code ce_*} headers, the data as the value. */
    public static ProducerRecord<String, String> binary(String topic, String key, String type, String source,
            String id, String dataJson) {
        return raw(topic, key, dataJson, header("ce_specversion", "1.0"), header("ce_id", id),
                header("ce_source", source), header("ce_type", type), header("content-type", "application/json"));
    }

    public static ProducerRecord<String, String> raw(String topic, String key, String value, Header... headers) {
        return new ProducerRecord<>(topic, null, key, value, List.of(headers));
    }

    /**
     * The records as one poll would hand them to a consumer: partition 0 of their topic, offsets counting from
     * {@code firstOffset}, values as bytes.
     */
    public static ConsumerRecords<String, byte[]> polled(long firstOffset, List<ProducerRecord<String, String>> sent) {
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> polled = new LinkedHashMap<>();
        long offset = firstOffset;
        for (ProducerRecord<String, String> record : sent) {
            byte[] value = record.value().getBytes(StandardCharsets.UTF_8);
            polled.computeIfAbsent(new TopicPartition(record.topic(), 0), partition -> new ArrayList<>())
                    .add(new ConsumerRecord<>(record.topic(), 0, offset++, System.currentTimeMillis(),
                            TimestampType.CREATE_TIME, -1, value.length, record.key(), value,
                            new RecordHeaders(record.headers().toArray()), Optional.empty()));
        }
        return new ConsumerRecords<>(polled, Map.of());
    }

    public static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
