package org.optout.notifier.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The AsyncAPI document names every topic the service reads or writes, and its examples keep to the schemas. */
class AsyncApiDocumentTest {

    private static final Path CONTRACT = Path.of("docs/contract");

    @Test
    void everyConfiguredTopicIsDocumented() throws IOException {
        JsonNode asyncApi = new ObjectMapper(new YAMLFactory()).readTree(CONTRACT.resolve("asyncapi.yaml").toFile());
        Set<String> documented = new TreeSet<>();
        asyncApi.path("channels").forEach(channel -> documented.add(channel.path("address").asText()));

        assertThat(documented).isEqualTo(configuredTopics());
        asyncApi.path("channels").forEach(channel -> assertThat(channel.path("description").asText()).isNotBlank());
    }

    @Test
    void examplesKeepToTheirDataSchemas() throws IOException {
        JsonNode messages = new ObjectMapper(new YAMLFactory()).readTree(CONTRACT.resolve("asyncapi.yaml").toFile())
                .path("components").path("messages");
        assertExamplesValid(messages.path("policyChange"), "policy-change.schema.json");
        assertExamplesValid(messages.path("subscriptionRequest"), "subscription-request.schema.json");
        assertExamplesValid(messages.path("reminderFailed"), "notification-outcome.schema.json");
    }

    private static void assertExamplesValid(JsonNode message, String schemaFile) throws IOException {
        JsonSchema schema;
        try (InputStream in = Files.newInputStream(CONTRACT.resolve(schemaFile))) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
        assertThat(message.path("examples")).isNotEmpty();
        for (JsonNode example : message.path("examples")) {
            assertThat(schema.validate(example.path("payload").path("data"))).as(example.path("name").asText())
                    .isEmpty();
        }
    }

    private static Set<String> configuredTopics() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = AsyncApiDocumentTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        Set<String> topics = new HashSet<>();
        properties.stringPropertyNames().stream()
                .filter(key -> key.startsWith("mp.messaging.") && key.endsWith(".topic"))
                .forEach(key -> topics.add(properties.getProperty(key)));
        return new TreeSet<>(topics);
    }
}
