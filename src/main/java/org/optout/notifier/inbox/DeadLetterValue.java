package org.optout.notifier.inbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value serializer of the dead-letter producers, which keeps every dead letter small enough to send. The broker
 * accepts a record compressed; its dead letter is sent uncompressed-sized against the producer's 1 MB request limit,
 * and a dead-letter send that fails stops the consumer for good, on every replica, since they all read the same
 * record. So a value over {@value #MAX_VALUE_BYTES} bytes is replaced by its size and SHA-256 digest, the record's own
 * headers (copied into its dead letter) are bounded, the reason is cut to {@value #MAX_HEADER_BYTES} bytes, and the
 * {@value #REPLACED_HEADER} header says what was replaced, so that nobody takes the stub for the event.
 */
public class DeadLetterValue implements Serializer<byte[]> {

    /** Lists what a dead letter no longer holds as received: {@code value}, {@code key}, {@code headers}. */
    public static final String REPLACED_HEADER = "dead-letter-replaced";
    static final int MAX_VALUE_BYTES = 256 * 1024;
    static final int MAX_HEADER_BYTES = 4 * 1024;
    static final int MAX_HEADERS_BYTES = 64 * 1024;
    private static final String DEAD_LETTER_PREFIX = "dead-letter-";

    @Override
    public byte[] serialize(String topic, byte[] data) {
        return data == null || data.length <= MAX_VALUE_BYTES ? data : Digest.stub("value", data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, byte[] data) {
        List<String> replaced = new ArrayList<>();
        if (boundHeaders(headers)) {
            replaced.add("headers");
        }
        byte[] value = serialize(topic, data);
        if (value != data) {
            replaced.add("value");
        }
        if (!replaced.isEmpty()) {
            headers.add(REPLACED_HEADER, String.join(",", replaced).getBytes(UTF_8));
        }
        return value;
    }

    /**
     * The dead-letter headers first (the reason cut to size), then the record's own while they fit.
     *
     * @return whether any header was dropped or cut
     */
    private static boolean boundHeaders(Headers headers) {
        List<Header> all = new ArrayList<>();
        headers.forEach(all::add);
        List<Header> kept = new ArrayList<>();
        boolean bounded = false;
        int budget = MAX_HEADERS_BYTES;
        for (boolean deadLetter : new boolean[] {true, false}) {
            for (Header header : all) {
                if (header.key().startsWith(DEAD_LETTER_PREFIX) != deadLetter) {
                    continue;
                }
                byte[] value = header.value() == null ? new byte[0] : header.value();
                int size = header.key().length() + value.length;
                if (deadLetter && value.length > MAX_HEADER_BYTES) {
                    value = Digest.cut(value, MAX_HEADER_BYTES);
                    size = header.key().length() + value.length;
                    bounded = true;
                } else if (!deadLetter && (value.length > MAX_HEADER_BYTES || size > budget)) {
                    bounded = true;
                    continue;
                }
                kept.add(new RecordHeader(header.key(), value));
                budget -= size;
            }
        }
        if (bounded) {
            all.stream().map(Header::key).distinct().forEach(headers::remove);
            kept.forEach(headers::add);
        }
        return bounded;
    }
}
