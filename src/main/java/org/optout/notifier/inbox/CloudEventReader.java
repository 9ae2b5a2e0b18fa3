package org.optout.notifier.inbox;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Reads a CloudEvent from a Kafka record, in structured mode ({@code content-type: application/cloudevents+json})
 * or binary mode ({@code ce_*} headers, the data as the value), with the CloudEvents SDK. Every way a record can fail
 * to be the expected event becomes an {@link InvalidEventException} with the reason, so it reaches the dead-letter
 * topic rather than stopping the consumer.
 */
public final class CloudEventReader {

    static final int MAX_ID = 200;
    static final int MAX_SOURCE = 500;

    private CloudEventReader() {
    }

    public static CloudEvent read(ConsumerRecord<?, byte[]> record, String expectedType, int maxBytes) {
        Set<String> replaced = replaced(record);
        if (replaced.contains("key")) {
            throw new InvalidEventException("key: longer than the limit of " + DeadLetterKey.MAX_KEY_BYTES + " bytes");
        }
        if (replaced.contains("headers")) {
            throw new InvalidEventException("headers: one over " + DeadLetterValue.MAX_HEADER_BYTES
                    + " bytes, or more than " + DeadLetterValue.MAX_HEADERS_BYTES + " bytes in all");
        }
        byte[] value = record.value();
        if (value == null || value.length == 0) {
            throw new InvalidEventException("value: required (an empty record is no CloudEvent)");
        }
        if (replaced.contains("value") || value.length > maxBytes) {
            throw new InvalidEventException("value: larger than the limit of " + maxBytes + " bytes");
        }
        CloudEvent event = deserialize(record);
        if (!expectedType.equals(event.getType())) {
            throw new InvalidEventException("type: must be " + expectedType + " but was " + event.getType());
        }
        if (event.getId() == null || event.getId().isBlank()) {
            throw new InvalidEventException("id: required");
        }
        if (event.getId().length() > MAX_ID) {
            throw new InvalidEventException("id: must be at most " + MAX_ID + " characters");
        }
        if (event.getSource().toString().length() > MAX_SOURCE) {
            throw new InvalidEventException("source: must be at most " + MAX_SOURCE + " characters");
        }
        if (event.getData() == null) {
            throw new InvalidEventException("data: required");
        }
        return event;
    }

    /** What {@link BoundedValue} and {@link BoundedKey} replaced as the record was read. */
    private static Set<String> replaced(ConsumerRecord<?, byte[]> record) {
        Set<String> parts = new HashSet<>();
        for (Header header : record.headers().headers(DeadLetterValue.REPLACED_HEADER)) {
            parts.addAll(List.of(new String(header.value(), StandardCharsets.UTF_8).split(",")));
        }
        return parts;
    }

    private static CloudEvent deserialize(ConsumerRecord<?, byte[]> record) {
        try (CloudEventDeserializer deserializer = new CloudEventDeserializer()) {
            deserializer.configure(Map.of(), false);
            CloudEvent event = deserializer.deserialize(record.topic(), record.headers(), record.value());
            if (event == null) {
                throw new InvalidEventException("value: not a CloudEvent");
            }
            return event;
        } catch (InvalidEventException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidEventException("value: not a CloudEvent in structured or binary mode ("
                    + firstLine(e.getMessage()) + ")");
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
