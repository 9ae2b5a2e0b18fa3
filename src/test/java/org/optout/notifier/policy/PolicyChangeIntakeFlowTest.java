package org.optout.notifier.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.optout.notifier.infrastructure.KafkaBroker;
import org.optout.notifier.infrastructure.SmtpServer;

/**
 * The tracer bullet through the real parts: a record produced to the real broker is consumed, stored in the database
 * and announced by a mail that the real SMTP server receives.
 */
@QuarkusTest
class PolicyChangeIntakeFlowTest {

    private static final String OPERATORS = "operators@localhost";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static KafkaCompanion kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaBroker.companion();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void policyChangeFromBrokerIsStoredAndMailed() throws Exception {
        String changeId = "tracer-" + UUID.randomUUID();
        publish(changeId, event("evt-" + changeId, changeId, "LinkedIn trains AI on " + changeId));

        List<MimeMessage> mails = SmtpServer.awaitMessages(OPERATORS, subjectContains(changeId), 1, WAIT);

        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).getSubject()).isEqualTo("Policy change received: LinkedIn trains AI on " + changeId);
        PolicyChange stored = QuarkusTransaction.requiringNew().call(() -> PolicyChange.findByChangeId(changeId).orElseThrow());
        assertThat(stored.revision).isEqualTo(1);
        assertThat(stored.source).isEqualTo("https://www.pcpd.org.hk");
    }

    @Test
    void redeliveredEventIsProcessedOnce() throws Exception {
        String changeId = "redelivered-" + UUID.randomUUID();
        String event = event("evt-" + changeId, changeId, "Redelivered " + changeId);
        publish(changeId, event);
        publish(changeId, event);
        // Same record key, so the same partition: the marker is consumed after both copies.
        String marker = "marker-" + UUID.randomUUID();
        publish(changeId, event("evt-" + marker, marker, "Marker " + marker));

        SmtpServer.awaitMessages(OPERATORS, subjectContains(marker), 1, WAIT);

        assertThat(SmtpServer.awaitMessages(OPERATORS, subjectContains(changeId), 2, Duration.ofSeconds(1)))
                .hasSize(1);
    }

    @Test
    void invalidRecordGoesToDeadLetterTopicWithReasonAndValidOnesStillFlow() throws Exception {
        String badKey = "bad-" + UUID.randomUUID();
        publish(badKey, "{\"specversion\":\"1.0\",\"id\":\"" + badKey + "\",\"source\":\"https://example.org\","
                + "\"type\":\"optout.policy-change.v1\",\"data\":{\"changeId\":\"" + badKey + "\"}}");
        String goodKey = "good-" + UUID.randomUUID();
        publish(goodKey, event("evt-" + goodKey, goodKey, "After a bad record " + goodKey));

        assertThat(SmtpServer.awaitMessages(OPERATORS, subjectContains(goodKey), 1, WAIT)).hasSize(1);
        ConsumerRecord<String, String> deadLetter = awaitDeadLetter(badKey);
        assertThat(header(deadLetter, "dead-letter-reason")).isEqualTo("data.title: required non-empty string");
        assertThat(header(deadLetter, "dead-letter-topic")).isEqualTo(PolicyChangeConsumer.CHANNEL);
    }

    private ConsumerRecord<String, String> awaitDeadLetter(String key) {
        return kafka.consumeStrings()
                .fromTopics(PolicyChangeConsumer.DEAD_LETTER_TOPIC,
                        records -> records.select().where(record -> key.equals(record.key())).select().first())
                .awaitCompletion(WAIT)
                .getFirstRecord();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void publish(String key, String value) {
        kafka.produceStrings()
                .fromRecords(new ProducerRecord<>(PolicyChangeConsumer.CHANNEL, key, value))
                .awaitCompletion(WAIT);
    }

    private static String event(String id, String changeId, String title) {
        return """
                {"specversion":"1.0","id":"%s","source":"https://www.pcpd.org.hk","type":"optout.policy-change.v1",
                 "datacontenttype":"application/json","data":{"changeId":"%s","revision":1,"title":"%s"}}
                """.formatted(id, changeId, title);
    }

    private static Predicate<MimeMessage> subjectContains(String text) {
        return message -> {
            try {
                return message.getSubject().contains(text);
            } catch (MessagingException e) {
                return false;
            }
        };
    }
}
