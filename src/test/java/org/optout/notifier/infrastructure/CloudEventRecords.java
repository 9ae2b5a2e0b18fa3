package org.optout.notifier.infrastructure;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

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

    public static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
