package org.optout.notifier.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.data.BytesCloudEventData;
import io.cloudevents.jackson.JsonCloudEventData;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.optout.notifier.inbox.InvalidEventException;
import org.optout.notifier.problem.FieldError;

/**
 * The JSON Schema in docs/contract is what organisations code against; the consumer must agree with it case by
 * case: every sample and valid case passes both, every invalid case fails both.
 */
@QuarkusTest
class PolicyChangeSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonSchema schema;

    @Inject
    PolicyChangeValidator validator;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("docs/contract/policy-change.schema.json"))) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        }
    }

    @Test
    void everySampleIsValidForTheSchemaAndTheConsumer() throws IOException {
        List<Path> samples;
        try (Stream<Path> files = Files.list(Path.of("deploy/samples"))) {
            samples = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(samples).hasSizeGreaterThanOrEqualTo(5);
        for (Path sample : samples) {
            JsonNode data = JSON.readTree(sample.toFile()).path("data");
            assertThat(schemaErrors(data)).as("schema errors in %s", sample).isEmpty();
            assertThat(consumerErrors(data)).as("consumer errors in %s", sample).isEmpty();
        }
    }

    @Test
    void validCasesPassBoth() {
        List<Consumer<ObjectNode>> valid = List.of(
                data -> { },
                data -> data.put("status", "CANCELLED"),
                data -> data.put("effectiveAt", "2025-11-03T00:00:00+08:00"),
                data -> data.putArray("excludedRegions").add("EEA").add("CH").add("GB"),
                data -> data.putArray("regions").add("WORLD").add("UK"),
                data -> data.put("summary", ""),
                data -> data.put("dryRun", true),
                data -> data.putArray("sources").add("https://www.pcpd.org.hk/english/news.html"),
                data -> data.putObject("translations").putObject("zh-HK").put("title", "標題"));
        for (Consumer<ObjectNode> change : valid) {
            ObjectNode data = minimal();
            change.accept(data);
            assertThat(schemaErrors(data)).as("schema errors for %s", data).isEmpty();
            assertThat(consumerErrors(data)).as("consumer errors for %s", data).isEmpty();
        }
    }

    @Test
    void invalidCasesFailBoth() {
        List<Consumer<ObjectNode>> invalid = List.of(
                data -> data.remove("title"),
                data -> data.remove("optOut"),
                data -> data.put("changeId", "Bad_Id"),
                data -> data.put("revision", 0),
                data -> data.put("revision", "2"),
                data -> data.put("revision", 1.5),
                data -> data.put("revision", 10_000_000_000L),
                data -> data.put("status", "PAUSED"),
                data -> data.putArray("platforms"),
                data -> data.putArray("platforms").add("myspace"),
                data -> data.putArray("regions").add("uk"),
                data -> data.putArray("regions").add("XX"),
                data -> data.put("effectiveDate", "2025-02-30"),
                data -> data.put("effectiveDate", "3 Nov 2025"),
                data -> data.put("effectiveAt", "2025-11-03T00:00:00"),
                data -> data.put("title", ""),
                data -> data.put("title", "   "),
                data -> data.put("title", "two\nlines"),
                data -> data.put("title", "x".repeat(201)),
                data -> data.put("title", 123),
                data -> data.put("summary", "x".repeat(2001)),
                data -> data.putObject("optOut").putArray("steps").add("only steps"),
                data -> data.putObject("optOut").put("url", "https://example.org").putArray("steps"),
                data -> ((ObjectNode) data.get("optOut")).put("url", "http://www.linkedin.com"),
                data -> data.putArray("sources").add("ftp://example.org/file"),
                data -> data.putObject("translations").putObject("fr").put("title", "Titre"),
                data -> data.put("deadline", "tomorrow"),
                data -> data.put("dryRun", "yes"),
                data -> {
                    var items = data.putArray("dataUsed");
                    for (int i = 0; i < 31; i++) {
                        items.add("item " + i);
                    }
                });
        for (Consumer<ObjectNode> change : invalid) {
            ObjectNode data = minimal();
            change.accept(data);
            assertThat(schemaErrors(data)).as("schema errors for %s", data).isNotEmpty();
            assertThat(consumerErrors(data)).as("consumer errors for %s", data).isNotEmpty();
        }
    }

    @Test
    void excludedRegionsThatLeaveNoCountryAreRefusedByTheConsumer() {
        ObjectNode data = minimal();
        data.putArray("regions").add("NO");
        data.putArray("excludedRegions").add("EEA");

        assertThat(consumerErrors(data)).containsExactly("data.excludedRegions: must leave at least one country of "
                + "the regions (leaves-no-country)");
    }

    private static ObjectNode minimal() {
        ObjectNode data = JSON.createObjectNode();
        data.put("changeId", "linkedin-genai-training-2025");
        data.put("revision", 1);
        data.putArray("platforms").add("linkedin");
        data.putArray("regions").add("EU").add("HK");
        data.put("effectiveDate", "2025-11-03");
        data.put("title", "LinkedIn will train generative AI on your profile");
        ObjectNode optOut = data.putObject("optOut");
        optOut.putArray("steps").add("Open Settings & Privacy").add("Turn it off");
        optOut.put("url", "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement");
        return data;
    }

    private static Set<ValidationMessage> schemaErrors(JsonNode data) {
        return schema.validate(data);
    }

    /** The same errors whether the data came as the SDK's JSON tree (structured mode) or as bytes (binary mode). */
    private List<String> consumerErrors(JsonNode data) {
        List<String> structured = consumerErrors(event(JsonCloudEventData.wrap(data)));
        List<String> binary = consumerErrors(event(BytesCloudEventData.wrap(
                data.toString().getBytes(StandardCharsets.UTF_8))));
        assertThat(structured).as("structured mode agrees with binary mode").isEqualTo(binary);
        return binary;
    }

    private List<String> consumerErrors(CloudEvent event) {
        List<FieldError> errors = new ArrayList<>();
        try {
            validator.validate(PolicyChangeConsumer.data(event), errors);
        } catch (InvalidEventException e) {
            return List.of(e.getMessage());
        }
        return errors.stream().map(FieldError::toString).toList();
    }

    private static CloudEvent event(CloudEventData data) {
        return CloudEventBuilder.v1().withId("evt-1").withSource(URI.create("https://www.pcpd.org.hk"))
                .withType(PolicyChangeConsumer.TYPE).withDataContentType("application/json").withData(data).build();
    }
}
