package org.optout.notifier.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optout.notifier.policy.PolicyChanges.PCPD;
import static org.optout.notifier.policy.PolicyChanges.count;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.optout.notifier.outcome.NotificationOutcomes;
import org.optout.notifier.infrastructure.Fixtures;
import org.optout.notifier.infrastructure.KafkaBroker;
import org.optout.notifier.subscription.SubscriptionStatus;

/** A dry run counts the subscribers a change would reach, tells the publisher, and stores and plans nothing. */
@QuarkusTest
class PolicyChangeDryRunTest {

    private static final KafkaCompanion kafka = KafkaBroker.companion();

    @Test
    void dryRunIsCountedAndPublishedButNotPlanned() throws Exception {
        // Tuvalu and Nauru: no other test signs up there, so the count is exact.
        subscriber("TV", SubscriptionStatus.ACTIVE, "pinterest");
        subscriber("TV", SubscriptionStatus.ACTIVE, "pinterest", "reddit");
        subscriber("NR", SubscriptionStatus.ACTIVE, "pinterest");
        subscriber("TV", SubscriptionStatus.ACTIVE, "reddit");
        subscriber("TV", SubscriptionStatus.UNSUBSCRIBED, "pinterest");
        subscriber("FJ", SubscriptionStatus.ACTIVE, "pinterest");
        String changeId = "dry-run-" + UUID.randomUUID();
        Map<String, Object> data = PolicyChanges.data(changeId, 1);
        data.put("platforms", List.of("pinterest"));
        data.put("regions", List.of("TV", "NR", "FJ"));
        data.put("excludedRegions", List.of("FJ"));
        data.put("dryRun", true);

        PolicyChanges.publish(kafka, PolicyChanges.structured(PCPD, "evt-" + changeId, data));

        ConsumerRecord<String, String> outcome = PolicyChanges.records(kafka, NotificationOutcomes.CHANNEL,
                changeId, 1).get(0);
        JsonNode event = new ObjectMapper().readTree(outcome.value());
        assertThat(PolicyChanges.header(outcome, "content-type")).isEqualTo("application/cloudevents+json");
        assertThat(event.path("type").asText()).isEqualTo(NotificationOutcomes.DRY_RUN_TYPE);
        assertThat(event.path("data").path("changeId").asText()).isEqualTo(changeId);
        assertThat(event.path("data").path("matchingSubscribers").asLong()).isEqualTo(3);
        assertThat(outcome.value()).doesNotContain("@");
        assertThat(PolicyChanges.stored(changeId)).isEmpty();
        assertThat(count("from PlanningTask t where t.changeId = ?1", changeId)).isZero();
    }

    private static void subscriber(String country, SubscriptionStatus status, String... platforms) {
        Fixtures.subscriber(null, null, "dry-" + UUID.randomUUID() + "@example.org", country, "Pacific/Funafuti", 9,
                "en", status, platforms);
    }
}
