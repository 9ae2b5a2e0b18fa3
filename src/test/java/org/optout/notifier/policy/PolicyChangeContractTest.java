package org.optout.notifier.policy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.optout.notifier.policy.PolicyChanges.PCPD;
import static org.optout.notifier.policy.PolicyChanges.awaitStored;
import static org.optout.notifier.policy.PolicyChanges.count;
import static org.optout.notifier.policy.PolicyChanges.data;
import static org.optout.notifier.policy.PolicyChanges.header;
import static org.optout.notifier.policy.PolicyChanges.json;
import static org.optout.notifier.policy.PolicyChanges.publish;
import static org.optout.notifier.policy.PolicyChanges.records;
import static org.optout.notifier.policy.PolicyChanges.structured;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.optout.notifier.infrastructure.CloudEventRecords;
import org.optout.notifier.infrastructure.KafkaBroker;
import org.optout.notifier.infrastructure.SmtpServer;
import org.optout.notifier.reminder.Reminder;

/** The policy-change contract through the real broker: what is accepted, replaced, ignored and dead-lettered. */
@QuarkusTest
class PolicyChangeContractTest {

    private static final KafkaCompanion kafka = KafkaBroker.companion();

    @BeforeEach
    void aSubscriberToPlanFor() {
        PolicyChanges.canadianLinkedInSubscriber();
    }

    @Test
    void structuredAndBinaryEventsAreStoredWithTheirCountries() throws Exception {
        String structured = newChangeId();
        String binary = newChangeId();
        publish(kafka, structured(PCPD, "evt-" + structured, data(structured, 1)));
        publish(kafka, PolicyChanges.binary(PCPD, "evt-" + binary, data(binary, 1)));

        PolicyChange change = awaitStored(structured, c -> true);
        awaitStored(binary, c -> true);
        assertThat(change.status).isEqualTo(PolicyChangeStatus.ACTIVE);
        assertThat(change.platforms).containsExactly("linkedin");
        assertThat(change.countries).hasSize(30 + 3).contains("DE", "NO", "CH", "CA", "HK").doesNotContain("GB", "US");
        awaitReminders(structured, "r.status = 'PENDING' and r.revision = 1");
        assertThat(SmtpServer.awaitMessages("operators@localhost",
                SmtpServer.subjectContains(structured), 1, PolicyChanges.WAIT)).hasSize(1);
    }

    @Test
    void aRedeliveredEventIsANoOp() throws Exception {
        String changeId = newChangeId();
        ProducerRecord<String, String> event = structured(PCPD, "evt-" + changeId, data(changeId, 1));
        publish(kafka, event);
        publish(kafka, event);
        Map<String, Object> second = data(changeId, 2);
        publish(kafka, structured(PCPD, "evt-" + changeId + "-r2", second));

        PolicyChange change = awaitStored(changeId, c -> c.revision == 2);
        assertThat(count("from PolicyChangeRevision r where r.policyChangeId = ?1", change.id)).isEqualTo(2);
    }

    @Test
    void aHigherRevisionReplacesAndALowerOneIsDeadLettered() throws Exception {
        String changeId = newChangeId();
        publish(kafka, structured(PCPD, "evt-1-" + changeId, data(changeId, 1)));
        Map<String, Object> second = data(changeId, 2);
        second.put("title", "Revised " + changeId);
        second.put("effectiveDate", LocalDate.now().plusDays(40).toString());
        publish(kafka, structured(PCPD, "evt-2-" + changeId, second));
        Map<String, Object> late = data(changeId, 1);
        late.put("title", "Late copy of revision 1");
        publish(kafka, structured(PCPD, "evt-1b-" + changeId, late));
        String marker = newChangeId();
        publish(kafka, CloudEventRecords.structured(PolicyChangeConsumer.CHANNEL, changeId, PolicyChangeConsumer.TYPE,
                PCPD, "evt-" + marker, json(data(marker, 1))));

        awaitStored(marker, c -> true);
        PolicyChange change = awaitStored(changeId, c -> c.revision == 2);
        assertThat(change.title).isEqualTo("Revised " + changeId);
        assertThat(change.effectiveDate).isEqualTo(LocalDate.now().plusDays(40));
        assertThat(count("from PolicyChangeRevision r where r.policyChangeId = ?1", change.id)).isEqualTo(2);
        awaitReminders(changeId, "r.status = 'PENDING' and r.revision = 2");
        ConsumerRecord<String, String> letter = records(kafka, PolicyChangeConsumer.DEAD_LETTER_TOPIC, changeId, 1)
                .get(0);
        assertThat(header(letter, "dead-letter-reason")).isEqualTo("data.revision: 1 is not newer than the stored 2 of "
                + changeId + " (newer)");
        assertThat(letter.value()).contains("Late copy of revision 1");
    }

    @Test
    void aCancellationIsStoredAndPlanned() throws Exception {
        String changeId = newChangeId();
        publish(kafka, structured(PCPD, "evt-1-" + changeId, data(changeId, 1)));
        // Planned first: a cancellation that arrives before its change was planned leaves nothing to cancel.
        awaitReminders(changeId, "r.status = 'PENDING'");
        Map<String, Object> cancelled = data(changeId, 2);
        cancelled.put("status", "CANCELLED");
        publish(kafka, structured(PCPD, "evt-2-" + changeId, cancelled));

        awaitStored(changeId, c -> c.status == PolicyChangeStatus.CANCELLED);
        awaitReminders(changeId, "r.status = 'CANCELLED'");
    }

    @Test
    void aChangeAlreadyInEffectIsStoredButPlansNothing() throws Exception {
        String changeId = newChangeId();
        Map<String, Object> past = data(changeId, 1);
        past.put("effectiveDate", "2025-11-03");
        publish(kafka, structured(PCPD, "evt-" + changeId, past));

        awaitStored(changeId, c -> c.effectiveDate.equals(LocalDate.of(2025, 11, 3)));
        assertThat(count("from PlanningTask t where t.changeId = ?1", changeId)).isZero();
        assertThat(count("from Reminder r where r.changeId = ?1", changeId)).isZero();
    }

    @Test
    void everyClassOfInvalidInputLandsInTheDeadLetterTopicWithItsReasonWhileValidEventsFlow() throws Exception {
        String key = "invalid-" + UUID.randomUUID();
        List<String> valid = new ArrayList<>();
        List<ProducerRecord<String, String>> bad = List.of(
                CloudEventRecords.raw(PolicyChangeConsumer.CHANNEL, key, "not json at all",
                        CloudEventRecords.header("content-type", "application/cloudevents+json")),
                CloudEventRecords.raw(PolicyChangeConsumer.CHANNEL, key, json(data("no-ce", 1))),
                withKey(key, "optout.other.v1", PCPD, data("wrong-type", 1)),
                withKey(key, PolicyChangeConsumer.TYPE, "https://impostor.example.org", data("not-allowed", 1)),
                withKey(key, PolicyChangeConsumer.TYPE, PCPD, Map.of("changeId", "Bad Id!", "revision", 0)),
                withKey(key, PolicyChangeConsumer.TYPE, PCPD, with(data("platform", 1), "platforms",
                        List.of("linkedin", "myspace"))),
                withKey(key, PolicyChangeConsumer.TYPE, PCPD, with(data("region", 1), "regions", List.of("EU", "XX"))),
                withKey(key, PolicyChangeConsumer.TYPE, PCPD, with(data("date", 1), "effectiveDate", "3 Nov 2025")),
                withKey(key, PolicyChangeConsumer.TYPE, PCPD, with(data("url", 1), "optOut",
                        Map.of("steps", List.of("x"), "url", "http://linkedin.com"))),
                withKey(key, PolicyChangeConsumer.TYPE, PCPD, with(data("unknown", 1), "deadline", "soon")),
                withKey(key, PolicyChangeConsumer.TYPE, PCPD, with(data("big", 1), "summary", "x".repeat(300_000))),
                withKey(key, PolicyChangeConsumer.TYPE, PCPD, with(data("ancient", 1), "effectiveDate", "-5000-01-01")),
                withKey(key, PolicyChangeConsumer.TYPE, PCPD, with(data("bidi", 1), "title",
                        "Opt out by \u202Eetadpu\u202C today")));
        for (ProducerRecord<String, String> record : bad) {
            publish(kafka, record);
            String good = newChangeId();
            valid.add(good);
            publish(kafka, structured(PCPD, "evt-" + good, data(good, 1)));
        }

        for (String good : valid) {
            awaitStored(good, c -> true);
            assertThat(SmtpServer.awaitMessages("operators@localhost", SmtpServer.subjectContains(good), 1,
                    PolicyChanges.WAIT)).as("operator notice for %s", good).hasSize(1);
        }
        List<ConsumerRecord<String, String>> deadLetters = records(kafka, PolicyChangeConsumer.DEAD_LETTER_TOPIC,
                key, bad.size());
        List<String> reasons = deadLetters.stream().map(r -> header(r, "dead-letter-reason")).toList();
        assertThat(reasons.get(0)).startsWith("value: not a CloudEvent in structured or binary mode");
        assertThat(reasons.get(1)).startsWith("value: not a CloudEvent in structured or binary mode");
        assertThat(reasons.get(2)).isEqualTo("type: must be optout.policy-change.v1 but was optout.other.v1");
        assertThat(reasons.get(3)).isEqualTo("source: https://impostor.example.org is not allowed to publish policy "
                + "changes (notifier.policy.allowed-sources)");
        assertThat(reasons.get(4)).contains("data.changeId: must be 1 to 100 of a-z, 0-9 and - (pattern)")
                .contains("data.revision: must be an integer >= 1 (minimum)")
                .contains("data.platforms: must name at least one platform (required)")
                .contains("data.regions: must name at least one region (required)")
                .contains("data.effectiveDate: is required (required)")
                .contains("data.title: is required (required)")
                .contains("data.optOut: is required (required)");
        assertThat(reasons.get(5)).isEqualTo("data.platforms[1]: must be a platform of /api/platforms, not "
                + "\"myspace\" (catalogue)");
        assertThat(reasons.get(6)).isEqualTo("data.regions[1]: must be an ISO 3166-1 alpha-2 code or EU, EEA or "
                + "WORLD, not \"XX\" (region)");
        assertThat(reasons.get(7)).isEqualTo("data.effectiveDate: must be a date as YYYY-MM-DD (date)");
        assertThat(reasons.get(8)).isEqualTo("data.optOut.url: must be an https URL (https-url)");
        assertThat(reasons.get(9)).isEqualTo("data.deadline: is not a field of the contract (unknown-field)");
        assertThat(reasons.get(10)).isEqualTo("value: larger than the limit of 262144 bytes");
        assertThat(reasons.get(11)).isEqualTo("data.effectiveDate: must be in the years 1970 to 9999 (range)");
        assertThat(reasons.get(12)).isEqualTo("data.title: must not contain line breaks, control characters or "
                + "bidirectional overrides (no-control-characters)");
        ConsumerRecord<String, String> first = deadLetters.get(0);
        assertThat(first.value()).isEqualTo("not json at all");
        assertThat(header(first, "dead-letter-topic")).isEqualTo(PolicyChangeConsumer.CHANNEL);
        assertThat(header(first, "dead-letter-partition")).isNotBlank();
        assertThat(header(first, "dead-letter-offset")).isNotBlank();
    }

    /**
     * Records the broker took compressed but too large for a dead letter (a 3 MB value, a 2 MB key, a 2 MB header),
     * and one with 40,000 regions: each is dead-lettered with what was too large replaced by its digest and a reason
     * of a line, and the events after each are stored: no input stops the consumer.
     */
    @Test
    void recordsTooLargeForADeadLetterLeaveADigestAndIntakeGoesOn() throws Exception {
        String key = "oversize-" + UUID.randomUUID();
        String hugeKey = key + "-" + "k".repeat(2_000_000);
        Map<String, Object> regions = data("many-regions", 1);
        regions.put("regions", java.util.Collections.nCopies(40_000, "XX"));
        List<ProducerRecord<String, String>> bad = List.of(
                CloudEventRecords.raw(PolicyChangeConsumer.CHANNEL, key, "{\"pad\":\"" + "x".repeat(3_000_000) + "\"}"),
                withKey(key, PolicyChangeConsumer.TYPE, PCPD, regions),
                CloudEventRecords.raw(PolicyChangeConsumer.CHANNEL, key, "a header of 2 MB",
                        CloudEventRecords.header("x-junk", "j".repeat(2_000_000))),
                CloudEventRecords.raw(PolicyChangeConsumer.CHANNEL, hugeKey, "a key of 2 MB"));
        List<String> valid = new ArrayList<>();
        for (ProducerRecord<String, String> record : bad) {
            kafka.produceStrings().withProp("compression.type", "zstd").withProp("max.request.size", 8_000_000)
                    .fromRecords(record).awaitCompletion(PolicyChanges.WAIT);
            String good = newChangeId();
            valid.add(good);
            publish(kafka, structured(PCPD, "evt-" + good, data(good, 1)));
        }

        for (String good : valid) {
            awaitStored(good, c -> true);
        }
        List<ConsumerRecord<String, String>> deadLetters = records(kafka, PolicyChangeConsumer.DEAD_LETTER_TOPIC,
                key, 3);
        ConsumerRecord<String, String> bigValue = deadLetters.get(0);
        assertThat(header(bigValue, "dead-letter-replaced")).isEqualTo("value");
        assertThat(bigValue.value()).startsWith("{\"replaced\":\"value\",\"bytes\":3000010,\"sha256\":\"");
        assertThat(header(bigValue, "dead-letter-reason")).isEqualTo("value: larger than the limit of 262144 bytes");
        assertThat(header(deadLetters.get(1), "dead-letter-reason"))
                .isEqualTo("data.regions: must have at most 260 items (max-items)");
        ConsumerRecord<String, String> bigHeader = deadLetters.get(2);
        assertThat(header(bigHeader, "dead-letter-replaced")).isEqualTo("headers");
        assertThat(header(bigHeader, "x-junk")).isNull();
        assertThat(bigHeader.value()).isEqualTo("a header of 2 MB");
        String digest = kafka.consumeStrings().fromTopics(PolicyChangeConsumer.DEAD_LETTER_TOPIC,
                records -> records.select().where(r -> "a key of 2 MB".equals(r.value())).select().first(1))
                .awaitCompletion(PolicyChanges.WAIT).getRecords().get(0).key();
        assertThat(digest).matches("sha256:[0-9a-f]{64}");
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void aCorrectedResendWithTheSameIdIsAcceptedAfterADeadLetter() throws Exception {
        String changeId = newChangeId();
        String id = "evt-" + changeId;
        Map<String, Object> broken = data(changeId, 1);
        broken.remove("title");
        publish(kafka, structured(PCPD, id, broken));
        assertThat(header(records(kafka, PolicyChangeConsumer.DEAD_LETTER_TOPIC, changeId, 1).get(0),
                "dead-letter-reason")).isEqualTo("data.title: is required (required)");

        publish(kafka, structured(PCPD, id, data(changeId, 1)));

        assertThat(awaitStored(changeId, c -> true).title).isEqualTo("LinkedIn trains AI on " + changeId);
    }

    @Test
    void aChangeIdBelongsToTheSourceThatFirstPublishedIt() throws Exception {
        String changeId = newChangeId();
        publish(kafka, structured(PCPD, "evt-" + changeId, data(changeId, 1)));
        awaitStored(changeId, c -> true);

        publish(kafka, structured("https://noyb.eu", "evt-takeover-" + changeId, data(changeId, 2)));

        assertThat(header(records(kafka, PolicyChangeConsumer.DEAD_LETTER_TOPIC, changeId, 1).get(0),
                "dead-letter-reason")).isEqualTo("data.changeId: " + changeId + " belongs to another source");
        assertThat(PolicyChanges.stored(changeId).orElseThrow().revision).isEqualTo(1);
    }

    /**
     * Waits until the reminders planned for this change, for the Canadian LinkedIn subscriber that every run has,
     * all meet {@code condition} (HQL on {@code r}); planning runs in the background after the change is stored.
     */
    private static void awaitReminders(String changeId, String condition) throws InterruptedException {
        long subscriber = PolicyChanges.canadianLinkedInSubscriber();
        long deadline = System.nanoTime() + PolicyChanges.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            long all = countFor(changeId, subscriber, "1 = 1");
            if (all == 2 && countFor(changeId, subscriber, condition) == 2) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("reminders of " + changeId + " not planned as " + condition);
    }

    private static long countFor(String changeId, long subscriber, String condition) {
        return QuarkusTransaction.requiringNew().call(() -> Reminder.getEntityManager().createQuery("select count(*) from Reminder r where r.changeId = ?1 "
                        + "and r.subscriptionId = ?2 and " + condition, Long.class)
                .setParameter(1, changeId).setParameter(2, subscriber).getSingleResult());
    }

    private static ProducerRecord<String, String> withKey(String key, String type, String source,
            Map<String, Object> data) {
        return CloudEventRecords.structured(PolicyChangeConsumer.CHANNEL, key, type, source,
                "evt-" + UUID.randomUUID(), json(data));
    }

    private static Map<String, Object> with(Map<String, Object> data, String field, Object value) {
        data.put(field, value);
        return data;
    }

    static String newChangeId() {
        return "change-" + UUID.randomUUID();
    }
}
