package org.optout.notifier.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.optout.notifier.infrastructure.CloudEventRecords;
import org.optout.notifier.infrastructure.Fixtures;
import org.optout.notifier.subscription.SubscriptionStatus;

/** Policy-change events as organisations publish them, and ways to watch what the service made of them. */
public final class PolicyChanges {

    public static final String PCPD = "https://www.pcpd.org.hk";
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicyChanges() {
    }

    private static Long canadian;

    /** An active LinkedIn subscriber in Canada (a country every test change covers), created once per run. */
    static synchronized long canadianLinkedInSubscriber() {
        if (canadian == null) {
            canadian = Fixtures.subscriber(null, null, "canada-" + java.util.UUID.randomUUID() + "@example.org", "CA",
                    "America/Toronto", 9, "en", SubscriptionStatus.ACTIVE, "linkedin");
        }
        return canadian;
    }

    /** Valid data, a month ahead; tests change what they are about. */
    public static Map<String, Object> data(String changeId, int revision) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("changeId", changeId);
        data.put("revision", revision);
        data.put("platforms", List.of("linkedin"));
        data.put("regions", List.of("EU", "EEA", "CH", "CA", "HK"));
        data.put("effectiveDate", LocalDate.now().plusDays(30).toString());
        data.put("title", "LinkedIn trains AI on " + changeId);
        data.put("optOut", Map.of("steps", List.of("Open Settings", "Turn it off"),
                "url", "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"));
        return data;
    }

    public static ProducerRecord<String, String> structured(String source, String id, Map<String, Object> data) {
        return CloudEventRecords.structured(PolicyChangeConsumer.CHANNEL, (String) data.get("changeId"),
                PolicyChangeConsumer.TYPE, source, id, json(data));
    }

    static ProducerRecord<String, String> binary(String source, String id, Map<String, Object> data) {
        return CloudEventRecords.binary(PolicyChangeConsumer.CHANNEL, (String) data.get("changeId"),
                PolicyChangeConsumer.TYPE, source, id, json(data));
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void publish(KafkaCompanion kafka, ProducerRecord<String, String> record) {
        kafka.produceStrings().fromRecords(record).awaitCompletion(WAIT);
    }

    /** Waits until the stored change matches, and returns it. */
    static PolicyChange awaitStored(String changeId, Predicate<PolicyChange> condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<PolicyChange> change = stored(changeId);
            if (change.isPresent() && condition.test(change.get())) {
                return change.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("policy change " + changeId + " not stored as expected");
    }

    static Optional<PolicyChange> stored(String changeId) {
        return QuarkusTransaction.requiringNew().call(() -> PolicyChange.findByChangeId(changeId));
    }

    static long count(String hql, Object... params) {
        return QuarkusTransaction.requiringNew().call(() -> PolicyChangeRevision.getEntityManager()
                .createQuery("select count(*) " + hql, Long.class)
                .setParameter(1, params[0])
                .getSingleResult());
    }

    /** The first {@code count} records with {@code key} on a topic. */
    public static List<ConsumerRecord<String, String>> records(KafkaCompanion kafka, String topic, String key,
            int count) {
        return kafka.consumeStrings()
                .fromTopics(topic, records -> records.select().where(r -> key.equals(r.key())).select().first(count))
                .awaitCompletion(WAIT)
                .getRecords();
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
