package org.optout.notifier.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventSerializer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.optout.notifier.inbox.ProcessedEvent;
import org.optout.notifier.infrastructure.KafkaBroker;

/**
 * The sample events in deploy/samples, published by clients no one here wrote: Debian's kcat (the documented
 * command), and the CloudEvents SDK in structured and in binary mode. Each must be accepted.
 */
@QuarkusTest
class PolicyChangeSamplesTest {

    private static final String KCAT = System.getProperty("kcat.binary", "/usr/bin/kcat");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void samplesPublishedWithKcatAreAccepted() throws Exception {
        assertThat(new File(KCAT).canExecute())
                .as("kcat is needed (apt-get install -y kcat; .ci/run installs it)").isTrue();
        for (Path sample : samples()) {
            JsonNode event = JSON.readTree(sample.toFile());
            Process kcat = new ProcessBuilder(KCAT, "-P", "-b", bootstrap(), "-t", PolicyChangeConsumer.CHANNEL,
                    "-k", event.path("data").path("changeId").asText(),
                    "-H", "content-type=application/cloudevents+json", sample.toString())
                    .redirectErrorStream(true).start();
            assertThat(kcat.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(kcat.exitValue()).as(new String(kcat.getInputStream().readAllBytes())).isZero();
        }
        for (Path sample : samples()) {
            JsonNode event = JSON.readTree(sample.toFile());
            awaitProcessed(event.path("source").asText(), event.path("id").asText());
            PolicyChange stored = PolicyChanges.stored(event.path("data").path("changeId").asText()).orElseThrow();
            assertThat(stored.title).isEqualTo(event.path("data").path("title").asText());
        }
    }

    @Test
    void samplesPublishedWithTheCloudEventsSdkInBothModesAreAccepted() throws Exception {
        EventFormat format = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
        for (Encoding encoding : List.of(Encoding.STRUCTURED, Encoding.BINARY)) {
            try (KafkaProducer<String, CloudEvent> producer = sdkProducer(encoding)) {
                for (Path sample : samples()) {
                    CloudEvent original = format.deserialize(Files.readAllBytes(sample));
                    CloudEvent event = CloudEventBuilder.v1(original)
                            .withId(original.getId() + "-sdk-" + encoding.name().toLowerCase()).build();
                    String key = JSON.readTree(sample.toFile()).path("data").path("changeId").asText();
                    producer.send(new ProducerRecord<>(PolicyChangeConsumer.CHANNEL, key, event))
                            .get(30, TimeUnit.SECONDS);
                    awaitProcessed(event.getSource().toString(), event.getId());
                }
            }
        }
    }

    private static KafkaProducer<String, CloudEvent> sdkProducer(Encoding encoding) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                CloudEventSerializer.ENCODING_CONFIG, encoding,
                CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE),
                new StringSerializer(), new CloudEventSerializer());
    }

    /** Processed means accepted: a record that went to the dead-letter topic leaves no processed event behind. */
    private static void awaitProcessed(String source, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (QuarkusTransaction.requiringNew().call(
                () -> ProcessedEvent.findById(new ProcessedEvent.EventKey(source, id))) == null) {
            assertThat(System.nanoTime()).as("event %s from %s accepted", id, source).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static List<Path> samples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("deploy/samples"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static String bootstrap() {
        return KafkaBroker.sharedBootstrapServers().replace("PLAINTEXT://", "");
    }
}
