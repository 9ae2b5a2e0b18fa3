package org.optout.notifier.inbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** What a dead letter keeps of a record: everything when it fits, digests and cut headers when it does not. */
class DeadLetterValueTest {

    private final DeadLetterValue values = new DeadLetterValue();
    private final DeadLetterKey keys = new DeadLetterKey();

    @Test
    void aRecordThatFitsIsKeptAsItCame() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", "evt-1".getBytes(UTF_8));
        headers.add("dead-letter-reason", "data.title: is required (required)".getBytes(UTF_8));
        byte[] value = "{\"id\":\"evt-1\"}".getBytes(UTF_8);

        assertThat(values.serialize("policy-changes-dlq", headers, value)).isSameAs(value);
        assertThat(keys.serialize("policy-changes-dlq", headers, "linkedin-ai")).isEqualTo("linkedin-ai".getBytes(UTF_8));
        assertThat(headers.toArray()).hasSize(2);
        assertThat(headers.lastHeader(DeadLetterValue.REPLACED_HEADER)).isNull();
    }

    @Test
    void aValueTooLargeBecomesItsSizeAndDigest() {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = "x".repeat(DeadLetterValue.MAX_VALUE_BYTES + 1).getBytes(UTF_8);

        String stub = new String(values.serialize("policy-changes-dlq", headers, value), UTF_8);

        assertThat(stub).isEqualTo("{\"replaced\":\"value\",\"bytes\":262145,\"sha256\":\"" + Digest.sha256(value)
                + "\"}");
        assertThat(text(headers.lastHeader(DeadLetterValue.REPLACED_HEADER))).isEqualTo("value");
    }

    @Test
    void aKeyTooLargeBecomesItsDigest() {
        RecordHeaders headers = new RecordHeaders();
        String key = "k".repeat(DeadLetterKey.MAX_KEY_BYTES + 1);

        assertThat(new String(keys.serialize("policy-changes-dlq", headers, key), UTF_8))
                .isEqualTo("sha256:" + Digest.sha256(key.getBytes(UTF_8)));
        assertThat(text(headers.lastHeader(DeadLetterValue.REPLACED_HEADER))).isEqualTo("key");
    }

    @Test
    void theReasonIsCutAtACharacterAndTheRecordsOwnHeadersKeptWhileTheyFit() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("x-huge", new byte[DeadLetterValue.MAX_HEADER_BYTES + 1]);
        for (int i = 0; i < 40; i++) {
            headers.add("x-" + i, new byte[DeadLetterValue.MAX_HEADER_BYTES - 10]);
        }
        headers.add("dead-letter-reason", "數據".repeat(5_000).getBytes(UTF_8));

        values.serialize("policy-changes-dlq", headers, new byte[0]);

        String reason = text(headers.lastHeader("dead-letter-reason"));
        assertThat(reason).endsWith("…").startsWith("數據數據");
        assertThat(reason.getBytes(UTF_8).length).isLessThanOrEqualTo(DeadLetterValue.MAX_HEADER_BYTES);
        assertThat(headers.lastHeader("x-huge")).isNull();
        assertThat(headers.lastHeader("x-0")).isNotNull();
        assertThat(headers.lastHeader("x-39")).as("past the 64 KiB of headers").isNull();
        int total = 0;
        for (Header header : headers) {
            total += header.key().length() + header.value().length;
        }
        assertThat(total).isLessThanOrEqualTo(DeadLetterValue.MAX_HEADERS_BYTES + 100);
        assertThat(text(headers.lastHeader(DeadLetterValue.REPLACED_HEADER))).isEqualTo("headers");
    }

    private static String text(Header header) {
        return header == null ? null : new String(header.value(), UTF_8);
    }
}
