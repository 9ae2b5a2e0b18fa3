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
import org.optout.notifier.infrastructure.CloudEventRecords;
import org.optout.notifier.infrastructure.KafkaBroker;
import org.optout.notifier.infrastructure.SmtpServer;

/**
 * The tracer bullet through the real parts: a record produced to the real broker is consumed, stored in the database
 * and announced by a mail that the real SMTP server receives.
 */
@QuarkusTest
class PolicyChangeIntakeFlowTest {

    private static final String OPERATORS = "operators@localhost";
    private static final String SOURCE = "https://www.pcpd.org.hk";
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
        publish(event("evt-" + changeId, changeId, "LinkedIn trains AI on " + changeId));

        List<MimeMessage> mails = SmtpServer.awaitMessages(OPERATORS, subjectContains(changeId), 1, WAIT);

        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).getSubject()).isEqualTo("Policy change received: LinkedIn trains AI on " + changeId);
        PolicyChange stored = QuarkusTransaction.requiringNew().call(() -> PolicyChange.findByChangeId(changeId).orElseThrow());
        assertThat(stored.revision).isEqualTo(1);
        assertThat(stored.source).isEqualTo("https://www.pcpd.org.hk");
    }

    @Test
    void binaryModeEventIsAcceptedToo() throws Exception {
        String changeId = "binary-" + UUID.randomUUID();
        publish(CloudEventRecords.binary(PolicyChangeConsumer.CHANNEL, changeId, PolicyChangeEvent.TYPE,
                SOURCE, "evt-" + changeId, data(changeId, "Binary " + changeId)));

        assertThat(SmtpServer.awaitMessages(OPERATORS, subjectContains(changeId), 1, WAIT)).hasSize(1);
    }

    @Test
    void redeliveredEventIsProcessedOnce() throws Exception {
        String changeId = "redelivered-" + UUID.randomUUID();
        ProducerRecord<String, String> event = event("evt-" + changeId, changeId, "Redelivered " + changeId);
        publish(event);
        publish(event);
        // Same record key, so the same partition: the marker is consumed after both copies.
        String marker = "marker-" + UUID.randomUUID();
        publish(CloudEventRecords.structured(PolicyChangeConsumer.CHANNEL, changeId, PolicyChangeEvent.TYPE,
                SOURCE, "evt-" + marker, data(marker, "Marker " + marker)));

        SmtpServer.awaitMessages(OPERATORS, subjectContains(marker), 1, WAIT);

        assertThat(SmtpServer.awaitMessages(OPERATORS, subjectContains(changeId), 2, Duration.ofSeconds(1)))
                .hasSize(1);
    }

    @Test
    void invalidRecordGoesToDeadLetterTopicWithReasonAndValidOnesStillFlow() throws Exception {
        String badKey = "bad-" + UUID.randomUUID();
        publish(CloudEventRecords.structured(PolicyChangeConsumer.CHANNEL, badKey, PolicyChangeEvent.TYPE,
                SOURCE, badKey, "{\"changeId\":\"" + badKey + "\"}"));
        String goodKey = "good-" + UUID.randomUUID();
        publish(event("evt-" + goodKey, goodKey, "After a bad record " + goodKey));

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

    private static void publish(ProducerRecord<String, String> record) {
        kafka.produceStrings().fromRecords(record).awaitCompletion(WAIT);
    }

    private static ProducerRecord<String, String> event(String id, String changeId, String title) {
        return CloudEventRecords.structured(PolicyChangeConsumer.CHANNEL, changeId, PolicyChangeEvent.TYPE,
                SOURCE, id, data(changeId, title));
    }

    private static String data(String changeId, String title) {
        return """
                {"changeId":"%s","revision":1,"title":"%s"}""".formatted(changeId, title);
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
