package org.optout.notifier.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * A policy-change CloudEvent as it arrives on the {@value PolicyChangeConsumer#CHANNEL} topic (structured mode).
 * This is the tracer-bullet subset of the contract: envelope identity, {@code changeId}, {@code revision} and
 * {@code title}.
 */
public record PolicyChangeEvent(String source, String id, String changeId, int revision, String title) {

    public static final String TYPE = "optout.policy-change.v1";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads and checks a structured-mode CloudEvent.
     *
     * @throws InvalidPolicyChangeException naming the first field that breaks the contract
     */
    public static PolicyChangeEvent parse(byte[] payload) {
        JsonNode event = readJson(payload);
        String type = requiredText(event, "type");
        if (!TYPE.equals(type)) {
            throw new InvalidPolicyChangeException("type: must be " + TYPE + " but was " + type);
        }
        JsonNode data = event.path("data");
        if (!data.isObject()) {
            throw new InvalidPolicyChangeException("data: required JSON object");
        }
        int revision = data.path("revision").asInt(1);
        if (revision < 1) {
            throw new InvalidPolicyChangeException("data.revision: must be an integer >= 1");
        }
        return new PolicyChangeEvent(requiredText(event, "source"), requiredText(event, "id"),
                requiredText(data, "changeId", "data.changeId"), revision, requiredText(data, "title", "data.title"));
    }

    private static JsonNode readJson(byte[] payload) {
        try {
            JsonNode node = JSON.readTree(payload);
            if (node == null || !node.isObject()) {
                throw new InvalidPolicyChangeException("value: must be a JSON object (a structured CloudEvent)");
            }
            return node;
        } catch (IOException e) {
            throw new InvalidPolicyChangeException("value: not valid JSON");
        }
    }

    private static String requiredText(JsonNode node, String field) {
        return requiredText(node, field, field);
    }

    private static String requiredText(JsonNode node, String field, String path) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new InvalidPolicyChangeException(path + ": required non-empty string");
        }
        return value.asText();
    }
}
