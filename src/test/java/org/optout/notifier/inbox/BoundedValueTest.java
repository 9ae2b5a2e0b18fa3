package org.optout.notifier.inbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** What a consumer keeps of a record as it reads it: all of it when it fits, a digest and a marker otherwise. */
class BoundedValueTest {

    private static final int LIMIT = 1024;
    private final BoundedValue values = new BoundedValue(LIMIT) {
    };
    private final BoundedKey keys = new BoundedKey();

    @Test
    void aRecordThatFitsIsReadAsItCame() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", "evt-1".getBytes(UTF_8));
        ByteBuffer value = ByteBuffer.wrap("{\"id\":\"evt-1\"}".getBytes(UTF_8));

        assertThat(values.deserialize("policy-changes", headers, value)).isEqualTo("{\"id\":\"evt-1\"}".getBytes(UTF_8));
        assertThat(keys.deserialize("policy-changes", headers, ByteBuffer.wrap("linkedin-ai".getBytes(UTF_8))))
                .isEqualTo("linkedin-ai");
        assertThat(value.position()).isZero();
        assertThat(headers.toArray()).extracting(Header::key).containsExactly("ce_id");
    }

    @Test
    void aValueOverTheLimitIsNeverKeptOnlyItsSizeAndDigest() {
        RecordHeaders headers = new RecordHeaders();
        byte[] huge = "x".repeat(3 * 1024 * 1024).getBytes(UTF_8);

        byte[] read = values.deserialize("policy-changes", headers, ByteBuffer.wrap(huge));

        assertThat(new String(read, UTF_8)).isEqualTo("{\"replaced\":\"value\",\"bytes\":3145728,\"sha256\":\""
                + Digest.sha256(huge) + "\"}");
        assertThat(text(headers.lastHeader(DeadLetterValue.REPLACED_HEADER))).isEqualTo("value");
        assertThatThrownBy(() -> CloudEventReader.read(record(headers, "linkedin-ai", read), "optout.policy-change.v1",
                LIMIT)).isInstanceOf(InvalidEventException.class)
                .hasMessage("value: larger than the limit of 1024 bytes");
    }

    @Test
    void aKeyOverTheLimitBecomesItsDigestAndTheRecordIsRejected() {
        RecordHeaders headers = new RecordHeaders();
        byte[] key = "k".repeat(DeadLetterKey.MAX_KEY_BYTES + 1).getBytes(UTF_8);

        String read = keys.deserialize("policy-changes", headers, ByteBuffer.wrap(key));

        assertThat(read).isEqualTo("sha256:" + Digest.sha256(key));
        assertThatThrownBy(() -> CloudEventReader.read(record(headers, read, "{}".getBytes(UTF_8)),
                "optout.policy-change.v1", LIMIT)).hasMessage("key: longer than the limit of 1024 bytes");
    }

    @Test
    void headersOverTheirLimitsAreDroppedAndTheRecordIsRejected() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_type", "optout.policy-change.v1".getBytes(UTF_8));
        headers.add("x-huge", new byte[DeadLetterValue.MAX_HEADER_BYTES + 1]);
        for (int i = 0; i < 20; i++) {
            headers.add("x-" + i, new byte[DeadLetterValue.MAX_HEADER_BYTES - 10]);
        }

        byte[] read = values.deserialize("policy-changes", headers, ByteBuffer.wrap("{}".getBytes(UTF_8)));

        assertThat(headers.lastHeader("x-huge")).isNull();
        assertThat(headers.lastHeader("ce_type")).isNotNull();
        assertThat(headers.toArray()).hasSizeLessThan(20);
        assertThat(text(headers.lastHeader(DeadLetterValue.REPLACED_HEADER))).isEqualTo("headers");
        assertThatThrownBy(() -> CloudEventReader.read(record(headers, "linkedin-ai", read),
                "optout.policy-change.v1", LIMIT)).hasMessageStartingWith("headers: one over 4096 bytes");
    }

    private static ConsumerRecord<String, byte[]> record(RecordHeaders headers, String key, byte[] value) {
        return new ConsumerRecord<>("policy-changes", 0, 0, 0, TimestampType.CREATE_TIME, 0, 0, key, value, headers,
                java.util.Optional.empty());
    }

    private static String text(Header header) {
        return header == null ? null : new String(header.value(), UTF_8);
    }
}
