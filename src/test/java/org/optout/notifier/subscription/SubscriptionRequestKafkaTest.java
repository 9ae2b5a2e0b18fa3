package org.optout.notifier.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.optout.notifier.config.TestClock;
import org.optout.notifier.inbox.ProcessedEvent;
import org.optout.notifier.infrastructure.CloudEventRecords;
import org.optout.notifier.infrastructure.KafkaBroker;

/** Sign-ups forwarded by organisations through the real broker: valid, redelivered, invalid, erased. */
@QuarkusTest
class SubscriptionRequestKafkaTest {

    private static final String SOURCE = "https://newsroom.example.org";
    private static final String TOPIC = SubscriptionRequestConsumer.CHANNEL;

    private static final KafkaCompanion kafka = KafkaBroker.companion();

    @Inject
    TestClock clock;

    @Inject
    SubscriptionRequestConsumer consumer;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void forwardedSignUpGetsTheSameDoubleOptInAndRecordsItsSource() throws Exception {
        String email = Clients.newAddress();
        publish(request(email, "evt-" + UUID.randomUUID()));

        String token = SubscriptionFlows.confirmationToken(email);
        Clients.fromNewIp().post("/api/confirmations/" + token).then().statusCode(200);

        Subscription subscription = QuarkusTransaction.requiringNew()
                .call(() -> Subscription.findByEmail(email).orElseThrow());
        assertThat(subscription.consentOrigin).isEqualTo(Origin.KAFKA);
        assertThat(subscription.consentSource).isEqualTo(SOURCE);
        assertThat(subscription.country).isEqualTo("HK");
    }

    @Test
    void redeliveredEventSendsNothingTwice() throws Exception {
        String email = Clients.newAddress();
        ProducerRecord<String, String> event = request(email, "evt-" + UUID.randomUUID());
        publish(event);
        Mailbox.awaitOne(email, SubscriptionFlows.CONFIRM_SUBJECT);
        clock.advance(Duration.ofMinutes(11));

        publish(event);
        String marker = Clients.newAddress();
        publish(CloudEventRecords.structured(TOPIC, event.key(), SubscriptionRequestConsumer.TYPE, SOURCE,
                "evt-" + UUID.randomUUID(), data(marker, "HK")));
        Mailbox.awaitOne(marker, SubscriptionFlows.CONFIRM_SUBJECT);

        assertThat(Mailbox.all(email)).hasSize(1);
    }

    /** One poll's records as the consumer gets them: stored in one transaction, the invalid one dead-lettered. */
    @Test
    void aBatchQueuesEachSignUpOnceAndDeadLettersTheInvalidOneAlone() throws Exception {
        String first = Clients.newAddress();
        String second = Clients.newAddress();
        String firstId = "evt-" + UUID.randomUUID();
        String invalidKey = "org-" + UUID.randomUUID();
        List<ProducerRecord<String, String>> batch = List.of(
                request(first, firstId),
                CloudEventRecords.structured(TOPIC, invalidKey, SubscriptionRequestConsumer.TYPE, SOURCE,
                        "evt-" + UUID.randomUUID(), data(Clients.newAddress(), "XX")),
                request(first, firstId),
                request(second, "evt-" + UUID.randomUUID()));

        consumer.consume(CloudEventRecords.polled(0, batch));

        Mailbox.awaitOne(first, SubscriptionFlows.CONFIRM_SUBJECT);
        Mailbox.awaitOne(second, SubscriptionFlows.CONFIRM_SUBJECT);
        assertThat(QuarkusTransaction.requiringNew().call(() -> ProcessedEvent.count("key.eventId", firstId)))
                .isEqualTo(1);
        assertThat(deadLetterReasons(invalidKey, 1)).singleElement().asString()
                .contains("country: must be a two-letter ISO 3166-1 country code");
    }

    @Test
    void invalidRequestsGoToTheDeadLetterTopicWithTheReasonAndValidOnesFlow() throws Exception {
        String key = "org-" + UUID.randomUUID();
        String badEmail = "bad-email-" + UUID.randomUUID();
        publish(CloudEventRecords.raw(TOPIC, key, "this is not JSON",
                CloudEventRecords.header("content-type", "application/cloudevents+json")));
        publish(CloudEventRecords.structured(TOPIC, key, "optout.something-else.v1", SOURCE, "evt-" + badEmail,
                data(Clients.newAddress(), "HK")));
        publish(CloudEventRecords.structured(TOPIC, key, SubscriptionRequestConsumer.TYPE, SOURCE, badEmail,
                data("not-an-address\r\nBcc: x@example.org", "XX")));
        String good = Clients.newAddress();
        publish(CloudEventRecords.binary(TOPIC, key, SubscriptionRequestConsumer.TYPE, SOURCE,
                "evt-" + UUID.randomUUID(), data(good, "DE")));

        Mailbox.awaitOne(good, SubscriptionFlows.CONFIRM_SUBJECT);
        List<String> reasons = deadLetterReasons(key, 3);
        assertThat(reasons.get(0)).startsWith("value: not a CloudEvent");
        assertThat(reasons.get(1)).isEqualTo("type: must be optout.subscription-request.v1 but was "
                + "optout.something-else.v1");
        assertThat(reasons.get(2))
                .contains("email: must not contain line breaks, control characters or bidirectional overrides")
                .contains("country: must be a two-letter ISO 3166-1 country code");
    }

    /** The record the broker took compressed (3 MB) no longer stops intake: its dead letter keeps a digest. */
    @Test
    void aRecordTooLargeForADeadLetterLeavesADigestAndTheNextSignUpIsAnswered() throws Exception {
        String key = "org-" + UUID.randomUUID();
        kafka.produceStrings().withProp("compression.type", "zstd").withProp("max.request.size", 8_000_000)
                .fromRecords(CloudEventRecords.raw(TOPIC, key, "x".repeat(3_000_000)))
                .awaitCompletion(Duration.ofSeconds(20));
        String good = Clients.newAddress();
        publish(CloudEventRecords.binary(TOPIC, key, SubscriptionRequestConsumer.TYPE, SOURCE,
                "evt-" + UUID.randomUUID(), data(good, "DE")));

        Mailbox.awaitOne(good, SubscriptionFlows.CONFIRM_SUBJECT);
        ConsumerRecord<String, String> letter = kafka.consumeStrings()
                .fromTopics(SubscriptionRequestConsumer.DEAD_LETTER_TOPIC,
                        records -> records.select().where(record -> key.equals(record.key())).select().first(1))
                .awaitCompletion(Duration.ofSeconds(30)).getRecords().get(0);
        assertThat(reason(letter)).isEqualTo("value: larger than the limit of 16384 bytes");
        assertThat(new String(letter.headers().lastHeader("dead-letter-replaced").value(), StandardCharsets.UTF_8))
                .isEqualTo("value");
        assertThat(letter.value()).startsWith("{\"replaced\":\"value\",\"bytes\":3000000,\"sha256\":\"");
    }

    @Test
    void anErasedAddressIsNotMailedOnAnOrganisationsWord() throws Exception {
        String email = Clients.newAddress();
        String manage = SubscriptionFlows.activeSubscriber(email);
        Clients.fromNewIp().delete("/api/subscriptions/" + manage).then().statusCode(204);
        // The sign-up's welcome mail goes out in the background: counted only once it is here.
        Mailbox.awaitOne(email, "Your opt-out deadline reminders are on");
        clock.advance(Duration.ofMinutes(11));
        int before = Mailbox.all(email).size();

        publish(request(email, "evt-" + UUID.randomUUID()));
        String marker = Clients.newAddress();
        publish(CloudEventRecords.structured(TOPIC, email, SubscriptionRequestConsumer.TYPE, SOURCE,
                "evt-" + UUID.randomUUID(), data(marker, "HK")));
        Mailbox.awaitOne(marker, SubscriptionFlows.CONFIRM_SUBJECT);
        SubscriptionFlows.awaitAnswered(email);

        assertThat(Mailbox.all(email)).hasSize(before);
    }

    @Test
    void theTopicAndItsDeadLettersKeepRequestsForSevenDays() throws Exception {
        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBroker.sharedBootstrapServers()))) {
            assertThat(awaitRetention(admin, TOPIC)).isEqualTo("604800000");
            assertThat(awaitRetention(admin, SubscriptionRequestConsumer.DEAD_LETTER_TOPIC)).isEqualTo("604800000");
        }
    }

    private static String awaitRetention(AdminClient admin, String name) throws Exception {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, name);
        String retention = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!"604800000".equals(retention) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            try {
                retention = admin.describeConfigs(List.of(topic)).all().get().get(topic)
                        .get(TopicConfig.RETENTION_MS_CONFIG).value();
            } catch (java.util.concurrent.ExecutionException notCreatedYet) {
                retention = null;
            }
        }
        return retention;
    }

    private static ProducerRecord<String, String> request(String email, String id) {
        return CloudEventRecords.structured(TOPIC, email, SubscriptionRequestConsumer.TYPE, SOURCE, id,
                data(email, "HK"));
    }

    private static String data(String email, String country) {
        return """
                {"email":"%s","country":"%s","platforms":["linkedin"]}"""
                .formatted(email.replace("\r", "\\r").replace("\n", "\\n"), country);
    }

    private static void publish(ProducerRecord<String, String> record) {
        kafka.produceStrings().fromRecords(record).awaitCompletion(Duration.ofSeconds(20));
    }

    private static List<String> deadLetterReasons(String key, int count) {
        return kafka.consumeStrings()
                .fromTopics(SubscriptionRequestConsumer.DEAD_LETTER_TOPIC,
                        records -> records.select().where(record -> key.equals(record.key())).select().first(count))
                .awaitCompletion(Duration.ofSeconds(30))
                .getRecords().stream()
                .map(SubscriptionRequestKafkaTest::reason)
                .toList();
    }

    private static String reason(ConsumerRecord<String, String> record) {
        return new String(record.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8);
    }
}
