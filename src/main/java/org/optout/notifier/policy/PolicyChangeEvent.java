package org.optout.notifier.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import org.optout.notifier.inbox.InvalidEventException;

/**
 * A policy-change CloudEvent from the {@value PolicyChangeConsumer#CHANNEL} topic. This is the tracer-bullet subset
 * of the contract: the event's identity, {@code changeId}, {@code revision} and {@code title}.
 */
public record PolicyChangeEvent(String source, String id, String changeId, int revision, String title) {

    public static final String TYPE = "optout.policy-change.v1";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads and checks the data of a policy-change CloudEvent.
     *
     * @throws InvalidEventException naming the first field that breaks the contract
     */
    public static PolicyChangeEvent from(CloudEvent event) {
        JsonNode data = readJson(event.getData().toBytes());
        int revision = data.path("revision").asInt(1);
        if (revision < 1) {
            throw new InvalidEventException("data.revision: must be an integer >= 1");
        }
        return new PolicyChangeEvent(event.getSource().toString(), event.getId(),
                requiredText(data, "changeId"), revision, requiredText(data, "title"));
    }

    private static JsonNode readJson(byte[] data) {
        try {
            JsonNode node = JSON.readTree(data);
            if (node == null || !node.isObject()) {
                throw new InvalidEventException("data: must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new InvalidEventException("data: not valid JSON");
        }
    }

    private static String requiredText(JsonNode data, String field) {
        JsonNode value = data.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new InvalidEventException("data." + field + ": required non-empty string");
        }
        return value.asText();
    }
}
