package org.optout.notifier.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/compose/docker-compose.yml cannot run here (no Docker engine), so its references are checked instead: every
 * service it depends on exists, images are pinned, the build points at the Dockerfile, two replicas share one
 * database, broker and relay, every secret comes from the environment, and every setting it passes is one the
 * application reads.
 */
class ComposeFileTest {

    private static final Path COMPOSE = Path.of("deploy/compose/docker-compose.yml");
    private static final Pattern REQUIRED_FROM_ENVIRONMENT = Pattern.compile("\\$\\{[A-Z_]+:\\?[^}]+}");
    private static JsonNode compose;
    private static JsonNode services;

    @BeforeAll
    static void parse() throws IOException {
        // SnakeYAML resolves the anchors and merge keys (<<: *notifier) that compose files use; Jackson does not.
        try (var in = Files.newInputStream(COMPOSE)) {
            compose = new ObjectMapper().valueToTree(new Yaml().load(in));
            services = compose.path("services");
        }
    }

    @Test
    void twoReplicasShareOneDatabaseBrokerAndRelay() {
        List<JsonNode> replicas = replicas();
        assertThat(replicas).hasSize(2);
        for (JsonNode replica : replicas) {
            JsonNode environment = replica.path("environment");
            assertThat(environment.path("QUARKUS_DATASOURCE_JDBC_URL").asText()).startsWith("jdbc:postgresql://postgres:");
            assertThat(environment.path("KAFKA_BOOTSTRAP_SERVERS").asText()).isEqualTo("kafka:9092");
            assertThat(environment.path("QUARKUS_MAILER_HOST").asText()).isEqualTo("mailpit");
            // Readiness on the management port, with nothing the runtime image may lack (curl).
            assertThat(replica.path("healthcheck").path("test").toString()).contains("/q/health/ready")
                    .contains("/9000").doesNotContain("curl").doesNotContain(":8080");
        }
        assertThat(replicas.get(0).path("ports").get(0).asText())
                .isNotEqualTo(replicas.get(1).path("ports").get(0).asText());
    }

    @Test
    void everyDependencyIsAServiceAndEveryImageIsPinned() {
        services.fields().forEachRemaining(service -> {
            service.getValue().path("depends_on").fieldNames()
                    .forEachRemaining(dependency -> assertThat(services.has(dependency)).as(dependency).isTrue());
            String image = service.getValue().path("image").asText();
            assertThat(image).as(service.getKey()).contains(":").doesNotEndWith(":latest");
        });
        assertThat(services.path("kafka").path("image").asText()).startsWith("apache/kafka:");
        assertThat(services.path("kafka").path("environment").path("KAFKA_PROCESS_ROLES").asText())
                .isEqualTo("broker,controller");
    }

    @Test
    void kafkaKeepsItsDataOnTheVolume() {
        JsonNode kafka = services.path("kafka");
        String logDirs = kafka.path("environment").path("KAFKA_LOG_DIRS").asText();
        assertThat(logDirs).as("KAFKA_LOG_DIRS (else /tmp/kraft-combined-logs)").isNotEmpty();
        List<String> mounts = new ArrayList<>();
        kafka.path("volumes").forEach(volume -> mounts.add(volume.asText()));
        assertThat(mounts).contains("kafka-data:" + logDirs);
        assertThat(compose.path("volumes").has("kafka-data")).as("a named volume").isTrue();
    }

    @Test
    void theBuildUsesTheJvmDockerfile() {
        JsonNode build = replicas().get(0).path("build");
        Path context = COMPOSE.getParent().resolve(build.path("context").asText()).normalize();
        assertThat(context.resolve(build.path("dockerfile").asText())).exists()
                .isEqualTo(Path.of("src/main/docker/Dockerfile.jvm"));
    }

    @Test
    void secretsComeOnlyFromTheEnvironment() {
        for (JsonNode replica : replicas()) {
            for (String secret : List.of("QUARKUS_DATASOURCE_PASSWORD", "NOTIFIER_TOKEN_KEY", "NOTIFIER_EMAIL_HASH_KEY",
                    "NOTIFIER_ADMIN_PASSWORD")) {
                assertThat(replica.path("environment").path(secret).asText()).as(secret)
                        .matches(REQUIRED_FROM_ENVIRONMENT);
            }
        }
        assertThat(services.path("postgres").path("environment").path("POSTGRES_PASSWORD").asText())
                .matches(REQUIRED_FROM_ENVIRONMENT);
    }

    @Test
    void everySettingPassedIsOneTheApplicationReads() throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        List<String> known = new ArrayList<>();
        properties.stringPropertyNames().forEach(key -> known.add(environmentName(key.replaceFirst("^%[a-z,]+\\.", ""))));
        // The one secret no profile gives a value to, not even a placeholder.
        known.add("QUARKUS_DATASOURCE_PASSWORD");
        replicas().get(0).path("environment").fieldNames()
                .forEachRemaining(name -> assertThat(known).as("a setting the application reads").contains(name));
    }

    private static List<JsonNode> replicas() {
        List<JsonNode> replicas = new ArrayList<>();
        services.fields().forEachRemaining(service -> {
            if (service.getValue().path("environment").has("NOTIFIER_TOKEN_KEY")) {
                replicas.add(service.getValue());
            }
        });
        return replicas;
    }

    private static String environmentName(String key) {
        return key.toUpperCase().replaceAll("[^A-Z0-9]", "_");
    }
}
