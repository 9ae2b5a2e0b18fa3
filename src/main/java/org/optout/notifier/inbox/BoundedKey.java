package org.optout.notifier.inbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The key deserializer of the incoming channels: a key over {@value DeadLetterKey#MAX_KEY_BYTES} bytes (no change id
 * or address is that long) becomes its digest as it is read, for the reason given in {@link BoundedValue}, and the
 * record is rejected.
 */
public class BoundedKey implements Deserializer<String> {

    @Override
    public String deserialize(String topic, byte[] data) {
        return data == null ? null : new String(data, UTF_8);
    }

    @Override
    public String deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (data.remaining() > DeadLetterKey.MAX_KEY_BYTES) {
            BoundedValue.replaced(headers, "key");
            return "sha256:" + Digest.sha256(data);
        }
        return UTF_8.decode(data.duplicate()).toString();
    }
}
