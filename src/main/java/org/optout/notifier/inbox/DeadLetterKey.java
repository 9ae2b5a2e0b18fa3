package org.optout.notifier.inbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The key serializer of the dead-letter producers: a key over {@value #MAX_KEY_BYTES} bytes (no change id or address
 * is that long) is replaced by its digest, for the reason given in {@link DeadLetterValue}.
 */
public class DeadLetterKey implements Serializer<String> {

    static final int MAX_KEY_BYTES = 1024;

    @Override
    public byte[] serialize(String topic, String key) {
        if (key == null) {
            return null;
        }
        byte[] bytes = key.getBytes(UTF_8);
        return bytes.length <= MAX_KEY_BYTES ? bytes : ("sha256:" + Digest.sha256(bytes)).getBytes(UTF_8);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, String key) {
        byte[] bytes = serialize(topic, key);
        if (key != null && key.getBytes(UTF_8).length > MAX_KEY_BYTES) {
            headers.add(DeadLetterValue.REPLACED_HEADER, "key".getBytes(UTF_8));
        }
        return bytes;
    }
}
