package org.optout.notifier.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import org.optout.notifier.infrastructure.CloudEventRecords;

/** Publishes the samples of deploy/samples for tests that need policy changes to show. */
public final class SampleEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SampleEvents() {
    }

    /**
     * Publishes a sample as it is, or, when {@code effectiveDate} is given, as a new revision with that date (so that
     * a sample written in 2025 can have a deadline ahead), and waits until it is stored.
     */
    public static String publish(KafkaCompanion kafka, String file, LocalDate effectiveDate)
            throws IOException, InterruptedException {
        return publish(kafka, file, null, effectiveDate, null);
    }

    /**
     * Publishes a sample's content as the next revision of {@code changeId} (a change of the test's own, so that tests
     * do not revise each other's), with this effective date and status where given, and waits until it is stored.
     */
    public static String publish(KafkaCompanion kafka, String file, String changeId, LocalDate effectiveDate,
            PolicyChangeStatus status) throws IOException, InterruptedException {
        ObjectNode event = (ObjectNode) JSON.readTree(Path.of("deploy/samples", file).toFile());
        ObjectNode data = (ObjectNode) event.get("data");
        if (changeId != null) {
            data.put("changeId", changeId);
            event.put("id", changeId);
        }
        String id = data.path("changeId").asText();
        int revision = data.path("revision").asInt();
        if (effectiveDate != null || status != null) {
            PolicyChange stored = PolicyChanges.stored(id).orElse(null);
            revision = stored == null ? revision : stored.revision + 1;
            data.put("revision", revision);
            event.put("id", event.path("id").asText() + "-r" + revision);
        }
        if (effectiveDate != null) {
            data.put("effectiveDate", effectiveDate.toString());
        }
        if (status != null) {
            data.put("status", status.name());
        }
        PolicyChanges.publish(kafka, CloudEventRecords.raw(PolicyChangeConsumer.CHANNEL, id, event.toString(),
                CloudEventRecords.header("content-type", "application/cloudevents+json")));
        int expected = revision;
        PolicyChanges.awaitStored(id, change -> change.revision >= expected);
        return id;
    }
}
