package org.optout.notifier.inbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The value deserializer of an incoming channel, which keeps nothing of a record larger than the channel accepts.
 * The broker takes values compressed, so a few kilobytes on the wire can be megabytes here, and a consumer holds
 * hundreds of records between its poll and their processing: a hundred 3 MB values filled a 256 MB heap, and the
 * consumer then failed every poll for good (the fault suite's poison run). So a value over the channel's limit is
 * replaced as it is read by its size and SHA-256, headers over {@value DeadLetterValue#MAX_HEADER_BYTES} bytes (or
 * beyond {@value DeadLetterValue#MAX_HEADERS_BYTES} in all) are dropped, and the {@value DeadLetterValue#REPLACED_HEADER}
 * header says what went; {@link CloudEventReader} then rejects the record with the reason, and its dead letter is the
 * stub. Subclasses give the limit (Kafka makes deserializers from a class name).
 */
public abstract class BoundedValue implements Deserializer<byte[]> {

    private final int maxBytes;

    protected BoundedValue(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public byte[] deserialize(String topic, byte[] data) {
        return data == null || data.length <= maxBytes ? data : Digest.stub("value", ByteBuffer.wrap(data));
    }

    @Override
    public byte[] deserialize(String topic, Headers headers, byte[] data) {
        return deserialize(topic, headers, data == null ? null : ByteBuffer.wrap(data));
    }

    @Override
    public byte[] deserialize(String topic, Headers headers, ByteBuffer data) {
        if (boundHeaders(headers)) {
            replaced(headers, "headers");
        }
        if (data == null) {
            return null;
        }
        if (data.remaining() > maxBytes) {
            replaced(headers, "value");
            return Digest.stub("value", data);
        }
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }

    static void replaced(Headers headers, String part) {
        headers.add(DeadLetterValue.REPLACED_HEADER, part.getBytes(UTF_8));
    }

    /** @return whether a header was dropped */
    private static boolean boundHeaders(Headers headers) {
        List<String> dropped = new ArrayList<>();
        int budget = DeadLetterValue.MAX_HEADERS_BYTES;
        for (Header header : headers) {
            int size = header.key().length() + (header.value() == null ? 0 : header.value().length);
            if (size > DeadLetterValue.MAX_HEADER_BYTES || size > budget) {
                dropped.add(header.key());
            } else {
                budget -= size;
            }
        }
        dropped.forEach(headers::remove);
        return !dropped.isEmpty();
    }
}
