package org.optout.notifier.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Lints and renders helm/optout-notifier with the Helm that helm-java bundles (no helm binary, no cluster) and checks
 * the manifests: with the default values (plus the settings and secrets they leave out on purpose) and with
 * src/test/resources/helm/values-production.yaml, where every optional part is on and every secret is an existing
 * Secret. It also keeps deploy/kubernetes/optout-notifier.yaml equal to the chart rendered with
 * deploy/kubernetes/values.yaml, and writes that file instead when run with {@code -Dhelm.render.write=true}.
 */
class HelmChartTest {

    private static final Path CHART = Path.of("helm/optout-notifier");
    private static final Path PRODUCTION_VALUES = Path.of("src/test/resources/helm/values-production.yaml");
    private static final Path DEPLOY_VALUES = Path.of("deploy/kubernetes/values.yaml");
    private static final Path DEPLOY_MANIFESTS = Path.of("deploy/kubernetes/optout-notifier.yaml");
    private static final Path RULES = Path.of("deploy/monitoring/prometheus-rules.yaml");
    private static final String RELEASE = "optout-notifier";
    private static final String VERSION_LABEL = "app.kubernetes.io/version";

    /** The endpoints the default values leave empty, so that an install without them fails instead of crash-looping. */
    private static final Map<String, String> SETTINGS = Map.of(
            "database.url", "jdbc:postgresql://postgres:5432/optout",
            "kafka.bootstrapServers", "kafka:9092",
            "smtp.host", "mail.example.org",
            "smtp.from", "optout-notifier <noreply@example.org>",
            "notifier.baseUrl", "https://optout-notifier.example.org",
            "notifier.allowedSources[0]", "https://www.pcpd.org.hk");
    /** Secrets for the chart's own Secret; not one of them may show up anywhere else. */
    private static final Map<String, String> SECRETS = Map.of(
            "secrets.tokenKey", "test-token-key-0123456789abcdefghijklmnop",
            "secrets.emailHashKey", "test-email-hash-key-0123456789abcdefghijk",
            "secrets.adminPassword", "test-admin-password",
            "database.password", "test-database-password",
            "smtp.username", "test-smtp-user",
            "smtp.password", "test-smtp-password",
            "kafka.saslJaasConfig", "test-jaas-config");
    private static final Pattern PARAM = Pattern.compile("(?m)^\\s*## @param (\\S+) \\S");
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|_KEY|JAAS|SECRET).*");

    private static List<JsonNode> defaults;
    private static List<JsonNode> production;

    @BeforeAll
    static void render() {
        defaults = render(template -> withSecrets(withSettings(template)));
        production = render(template -> template.withValuesFile(PRODUCTION_VALUES));
    }

    @Test
    void lintPassesStrictWithTheDefaultValues() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void lintPassesStrictWithTheProductionValues(@TempDir Path copy) throws IOException {
        // helm-java's lint takes no values file; a copy of the chart whose values.yaml includes them is linted instead.
        copyChart(copy);
        Map<String, Object> values = merge(loadMap(CHART.resolve("values.yaml")), loadMap(PRODUCTION_VALUES));
        Files.writeString(copy.resolve("values.yaml"), new Yaml().dump(values));

        LintResult lint = new Helm(copy).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void everyValueHasAParamLineAndARowInTheChartReadme() throws IOException {
        Set<String> documented = new HashSet<>();
        Matcher param = PARAM.matcher(Files.readString(CHART.resolve("values.yaml")));
        while (param.find()) {
            documented.add(param.group(1));
        }
        List<String> values = new ArrayList<>();
        collectValues("", loadMap(CHART.resolve("values.yaml")), documented, values);
        assertThat(documented).containsAll(values);
        String readme = Files.readString(CHART.resolve("README.md"));
        documented.forEach(name -> assertThat(readme).as("README row").contains("| `" + name + "` |"));
    }

    @Test
    void renderingWithoutTheSecretsFailsNamingTheMissingValue() {
        assertThatThrownBy(() -> render(HelmChartTest::withSettings)).hasMessageContaining("secrets.tokenKey");
        assertThatThrownBy(() -> render(template -> withSecrets(withSettings(template)).set("smtp.host", "")))
                .hasMessageContaining("smtp.host is required");
    }

    @Test
    void selectorsNeverCarryTheVersionAndMatchThePodLabels() {
        for (List<JsonNode> manifests : List.of(defaults, production)) {
            JsonNode deployment = one(manifests, "Deployment");
            Map<String, String> podLabels = strings(deployment.at("/spec/template/metadata/labels"));
            List<JsonNode> selectors = new ArrayList<>(List.of(deployment.at("/spec/selector/matchLabels"),
                    one(manifests, "Service").at("/spec/selector"),
                    one(manifests, "PodDisruptionBudget").at("/spec/selector/matchLabels")));
            all(manifests, "NetworkPolicy").forEach(policy ->
                    selectors.add(policy.at("/spec/podSelector/matchLabels")));
            all(manifests, "ServiceMonitor").forEach(monitor ->
                    selectors.add(monitor.at("/spec/selector/matchLabels")));
            for (JsonNode selector : selectors) {
                assertThat(strings(selector)).isNotEmpty().doesNotContainKey(VERSION_LABEL);
                assertThat(podLabels).containsAllEntriesOf(strings(selector));
            }
            assertThat(podLabels).containsKey(VERSION_LABEL);
        }
        JsonNode target = one(production, "HorizontalPodAutoscaler").at("/spec/scaleTargetRef");
        assertThat(target.path("kind").asText()).isEqualTo("Deployment");
        assertThat(target.path("name").asText()).isEqualTo(name(one(production, "Deployment")));
        assertThat(one(production, "Deployment").at("/spec/replicas").isMissingNode()).isTrue();
    }

    @Test
    void probesUseTheQuarkusHealthEndpointsOnTheManagementPort() {
        JsonNode container = container(defaults);
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/started");
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(container.at("/" + probe + "/httpGet/port").asText()).as(probe).isEqualTo("management");
        }
        assertThat(container.at("/ports/0/name").asText()).isEqualTo("http");
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
        assertThat(container.at("/ports/1/name").asText()).isEqualTo("management");
        assertThat(container.at("/ports/1/containerPort").asInt()).isEqualTo(9000);
    }

    @Test
    void theServiceExposesTheApplicationAndTheManagementPortByName() {
        JsonNode ports = one(production, "Service").at("/spec/ports");
        assertThat(ports).hasSize(2);
        assertThat(ports.get(0).path("name").asText()).isEqualTo("http");
        assertThat(ports.get(0).path("targetPort").asText()).isEqualTo("http");
        assertThat(ports.get(0).path("port").asInt()).isEqualTo(8080);
        assertThat(ports.get(1).path("name").asText()).isEqualTo("management");
        assertThat(ports.get(1).path("targetPort").asText()).isEqualTo("management");
        assertThat(ports.get(1).path("port").asInt()).isEqualTo(9000);
    }

    @Test
    void noServiceLinksSoThatAServiceNamedKafkaCannotConfigureTheKafkaClients() {
        // KAFKA_PORT, KAFKA_SERVICE_HOST, ... would reach the Kafka clients as configuration.
        for (List<JsonNode> manifests : List.of(defaults, production)) {
            JsonNode pod = one(manifests, "Deployment").at("/spec/template/spec");
            assertThat(pod.path("enableServiceLinks").isBoolean()).isTrue();
            assertThat(pod.path("enableServiceLinks").asBoolean()).isFalse();
        }
    }

    @Test
    void theImageTagIsTheChartsAppVersion() throws IOException {
        String appVersion = String.valueOf(loadMap(CHART.resolve("Chart.yaml")).get("appVersion"));
        assertThat(container(defaults).path("image").asText()).isEqualTo("optout-notifier:" + appVersion);
    }

    @Test
    void secretsAreInTheSecretAndNeverInTheConfigMap() {
        for (List<JsonNode> manifests : List.of(defaults, production)) {
            one(manifests, "ConfigMap").path("data").fields().forEachRemaining(entry -> {
                assertThat(entry.getKey()).doesNotMatch(SECRET_NAME);
                SECRETS.values().forEach(secret -> assertThat(entry.getValue().asText()).doesNotContain(secret));
            });
        }
        JsonNode data = one(defaults, "Secret").path("data");
        Map<String, String> secrets = new LinkedHashMap<>();
        data.fields().forEachRemaining(entry -> secrets.put(entry.getKey(),
                new String(Base64.getDecoder().decode(entry.getValue().asText()), StandardCharsets.UTF_8)));
        assertThat(secrets).containsOnly(
                Map.entry("NOTIFIER_TOKEN_KEY", SECRETS.get("secrets.tokenKey")),
                Map.entry("NOTIFIER_EMAIL_HASH_KEY", SECRETS.get("secrets.emailHashKey")),
                Map.entry("NOTIFIER_ADMIN_PASSWORD", SECRETS.get("secrets.adminPassword")),
                Map.entry("QUARKUS_DATASOURCE_PASSWORD", SECRETS.get("database.password")),
                Map.entry("QUARKUS_MAILER_USERNAME", SECRETS.get("smtp.username")),
                Map.entry("QUARKUS_MAILER_PASSWORD", SECRETS.get("smtp.password")),
                Map.entry("KAFKA_SASL_JAAS_CONFIG", SECRETS.get("kafka.saslJaasConfig")));
    }

    @Test
    void existingSecretsReplaceTheChartsSecret() {
        assertThat(all(production, "Secret")).isEmpty();
        assertThat(envFrom(production)).containsExactly("ConfigMap optout-notifier", "Secret optout-notifier-secrets",
                "Secret optout-db-app", "Secret optout-notifier-smtp", "Secret optout-notifier-kafka");
        assertThat(envFrom(defaults)).containsExactly("ConfigMap optout-notifier", "Secret optout-notifier");
        JsonNode annotations = one(production, "Deployment").at("/spec/template/metadata/annotations");
        assertThat(annotations.has("checksum/secret")).isFalse();
    }

    @Test
    void settingsReachTheApplicationUnderItsVariableNames() {
        Map<String, String> config = strings(one(production, "ConfigMap").path("data"));
        assertThat(config)
                .containsEntry("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://optout-db-rw.databases:5432/optout")
                .containsEntry("QUARKUS_DATASOURCE_USERNAME", "optout")
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka-bootstrap.kafka:9093")
                .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                .containsEntry("KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/optout-notifier/kafka-truststore/ca.p12")
                .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12")
                .containsEntry("NOTIFIER_KAFKA_GROUP_ID", RELEASE)
                .containsEntry("NOTIFIER_KAFKA_CONSUMERS", "2")
                .containsEntry("QUARKUS_MAILER_HOST", "smtp.example.org")
                .containsEntry("QUARKUS_MAILER_PORT", "465")
                .containsEntry("QUARKUS_MAILER_START_TLS", "DISABLED")
                .containsEntry("QUARKUS_MAILER_TLS", "true")
                .containsEntry("QUARKUS_MAILER_FROM", "optout-notifier <noreply@example.org>")
                .containsEntry("NOTIFIER_BASE_URL", "https://optout-notifier.example.org")
                .containsEntry("NOTIFIER_POLICY_ALLOWED_SOURCES", "https://www.pcpd.org.hk,https://noyb.eu")
                .containsEntry("NOTIFIER_DELIVERY_MAX_MAILS_PER_SECOND", "5")
                .containsEntry("NOTIFIER_POLICY_APPROVAL_THRESHOLD", "50000")
                .containsEntry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true");
        JsonNode deployment = one(production, "Deployment").at("/spec/template/spec");
        assertThat(deployment.at("/volumes/1/secret/secretName").asText()).isEqualTo("kafka-cluster-ca");
        assertThat(deployment.at("/containers/0/volumeMounts/1/mountPath").asText())
                .isEqualTo("/etc/optout-notifier/kafka-truststore");
    }

    @Test
    void kafkaSecuritySettingsArePassedOnlyWhenSet() {
        assertThat(strings(one(defaults, "ConfigMap").path("data")))
                .doesNotContainKeys("KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "KAFKA_SSL_TRUSTSTORE_LOCATION",
                        "KAFKA_SSL_TRUSTSTORE_TYPE");
        List<JsonNode> plaintext = render(template -> withSecrets(withSettings(template))
                .set("kafka.securityProtocol", "PLAINTEXT"));
        assertThat(strings(one(plaintext, "ConfigMap").path("data")))
                .containsEntry("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT");
    }

    @Test
    void behindTheIngressTheApplicationTrustsOnlyTheConfiguredProxies() {
        assertThat(strings(one(production, "ConfigMap").path("data")))
                .containsEntry("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true")
                .containsEntry("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES", "10.42.0.0/16");
        // Only the application's port: health, metrics and the OpenAPI document stay inside the cluster.
        List<String> routed = one(production, "Ingress").at("/spec/rules").findValues("port").stream()
                .map(port -> port.path("name").asText()).toList();
        assertThat(routed).isNotEmpty().containsOnly("http");
        assertThat(all(defaults, "Ingress")).isEmpty();
        assertThat(strings(one(defaults, "ConfigMap").path("data")))
                .doesNotContainKeys("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING",
                        "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES");
    }

    @Test
    void podAndContainerAreLockedDown() {
        for (List<JsonNode> manifests : List.of(defaults, production)) {
            JsonNode pod = one(manifests, "Deployment").at("/spec/template/spec");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
            assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(185);
            assertThat(pod.at("/securityContext/fsGroup").asInt()).isEqualTo(185);
            assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
            JsonNode container = pod.at("/containers/0");
            assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
            assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(container.at("/securityContext/capabilities/drop").toString()).isEqualTo("[\"ALL\"]");
            assertThat(container.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/tmp");
            assertThat(pod.at("/volumes/0/emptyDir").isObject()).isTrue();
            assertThat(container.at("/resources/requests/cpu").asText()).isEqualTo("250m");
            assertThat(container.at("/resources/requests/memory").asText()).isEqualTo("512Mi");
            assertThat(container.at("/resources/limits/memory").asText()).isEqualTo("1Gi");
        }
    }

    @Test
    void aDisruptionBudgetOnlyWithMoreThanOneReplica() {
        assertThat(one(defaults, "Deployment").at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(one(defaults, "PodDisruptionBudget").at("/spec/minAvailable").asInt()).isEqualTo(1);
        List<JsonNode> single = render(template -> withSecrets(withSettings(template)).set("replicaCount", 1));
        assertThat(all(single, "PodDisruptionBudget")).isEmpty();
    }

    @Test
    void theNetworkPolicyLetsOutOnlyKafkaTheDatabaseTheRelayAndDns() {
        JsonNode policy = one(production, "NetworkPolicy").path("spec");
        Set<String> ports = new HashSet<>();
        for (JsonNode rule : policy.path("egress")) {
            rule.path("ports").forEach(port ->
                    ports.add(port.path("port").asText() + "/" + port.path("protocol").asText()));
            boolean dns = rule.path("ports").findValuesAsText("port").equals(List.of("53", "53"));
            assertThat(rule.has("to")).as("a destination for %s", rule).isNotEqualTo(dns);
        }
        assertThat(ports).containsExactlyInAnyOrder("9093/TCP", "5432/TCP", "465/TCP", "53/UDP", "53/TCP");
        assertThat(policy.at("/ingress/0/ports/0/port").asText()).isEqualTo("http");
        assertThat(policy.at("/ingress/0/from/0/namespaceSelector").isObject()).isTrue();
        assertThat(all(defaults, "NetworkPolicy")).isEmpty();
    }

    @Test
    void theNetworkPolicyAdmitsTheScraperToTheManagementPortOnly() {
        JsonNode ingress = one(production, "NetworkPolicy").at("/spec/ingress");
        assertThat(ingress).hasSize(2);
        JsonNode http = ingress.get(0);
        JsonNode management = ingress.get(1);
        assertThat(http.at("/ports/0/port").asText()).isEqualTo("http");
        assertThat(http.path("ports")).hasSize(1);
        assertThat(http.at("/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
                .isEqualTo("ingress-nginx");
        assertThat(http.path("from")).hasSize(1);
        assertThat(management.at("/ports/0/port").asText()).isEqualTo("management");
        assertThat(management.path("ports")).hasSize(1);
        JsonNode scraper = management.at("/from/0");
        assertThat(scraper.at("/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
                .isEqualTo("monitoring");
        assertThat(scraper.at("/podSelector/matchLabels/app.kubernetes.io~1name").asText()).isEqualTo("prometheus");
        // The ServiceMonitor scrapes the port that rule admits.
        assertThat(one(production, "ServiceMonitor").at("/spec/endpoints/0/port").asText()).isEqualTo("management");

        // Empty metricsFrom: the management port is open to any peer, as an empty ingressFrom leaves the http port.
        JsonNode open = one(render(template -> withSecrets(withSettings(template)).set("networkPolicy.enabled", true)),
                "NetworkPolicy").at("/spec/ingress");
        assertThat(open).hasSize(2);
        assertThat(open.get(1).at("/ports/0/port").asText()).isEqualTo("management");
        assertThat(open.get(0).has("from")).isFalse();
        assertThat(open.get(1).has("from")).isFalse();
    }

    @Test
    void theServiceMonitorScrapesQuarkusMetricsOnTheManagementPort() {
        JsonNode endpoint = one(production, "ServiceMonitor").at("/spec/endpoints/0");
        assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
        assertThat(endpoint.path("port").asText()).isEqualTo("management");
        assertThat(one(production, "ServiceMonitor").at("/metadata/labels/release").asText()).isEqualTo("prometheus");
        assertThat(all(defaults, "ServiceMonitor")).isEmpty();
    }

    @Test
    void thePrometheusRuleHasTheAlertsOfDeployMonitoring() throws IOException {
        JsonNode rules = new ObjectMapper().valueToTree(loadMap(RULES));
        assertThat(one(production, "PrometheusRule").at("/spec/groups")).isEqualTo(rules.path("groups"));
        assertThat(all(defaults, "PrometheusRule")).isEmpty();
    }

    @Test
    void aConfigChangeRollsThePods() {
        JsonNode annotations = one(defaults, "Deployment").at("/spec/template/metadata/annotations");
        assertThat(annotations.path("checksum/config").asText()).matches("[0-9a-f]{64}");
        assertThat(annotations.path("checksum/secret").asText()).matches("[0-9a-f]{64}");
        JsonNode changed = one(render(template -> withSecrets(withSettings(template)).set("smtp.port", 2525)),
                "Deployment").at("/spec/template/metadata/annotations");
        assertThat(changed.path("checksum/config")).isNotEqualTo(annotations.path("checksum/config"));
    }

    @Test
    void helmTestChecksReadinessThroughTheServicesManagementPort(@TempDir Path copy) throws IOException {
        // helm-java's template leaves hooks out, as an install would; a copy of the chart renders the test pod as a
        // plain manifest.
        Path testPod = Path.of("templates/tests/test-connection.yaml");
        String hook = "\"helm.sh/hook\": test";
        assertThat(Files.readString(CHART.resolve(testPod))).contains(hook);
        copyChart(copy);
        Files.writeString(copy.resolve(testPod), Files.readString(copy.resolve(testPod)).replace(hook, "hook: test"));
        List<JsonNode> manifests = documents(new Helm(copy).template().withName(RELEASE)
                .withValuesFile(PRODUCTION_VALUES).call());

        JsonNode pod = one(manifests, "Pod");
        assertThat(pod.at("/spec/containers/0/args").toString())
                .contains("http://optout-notifier:9000/q/health/ready");
        Map<String, String> labels = strings(pod.at("/metadata/labels"));
        assertThat(labels).doesNotContainKey("app.kubernetes.io/name");
        // Let in to the management port by the NetworkPolicy, which admits only the metrics scraper otherwise.
        JsonNode management = one(manifests, "NetworkPolicy").at("/spec/ingress/1");
        assertThat(management.at("/ports/0/port").asText()).isEqualTo("management");
        assertThat(labels).containsAllEntriesOf(strings(management.at("/from/1/podSelector/matchLabels")));
    }

    @Test
    void deployKubernetesIsTheChartRenderedWithItsValues() throws IOException {
        String rendered = deployManifests();
        if (Boolean.getBoolean("helm.render.write")) {
            Files.writeString(DEPLOY_MANIFESTS, rendered);
        }
        assertThat(documents(Files.readString(DEPLOY_MANIFESTS)))
                .as("deploy/kubernetes/optout-notifier.yaml is stale: run deploy/kubernetes/render.sh")
                .isEqualTo(documents(rendered));
        assertThat(rendered).doesNotContain("kind: Secret").doesNotContain("helm.sh/hook");
    }

    /** The chart rendered with deploy/kubernetes/values.yaml; helm-java leaves out the `helm test` pod. */
    private static String deployManifests() {
        return "# Rendered from helm/optout-notifier with deploy/kubernetes/values.yaml by render.sh;\n"
                + "# do not edit, render again. Apply with: kubectl apply -n <namespace> -f optout-notifier.yaml\n"
                + new Helm(CHART).template().withName(RELEASE).withValuesFile(DEPLOY_VALUES).call();
    }

    private static void copyChart(Path target) throws IOException {
        try (Stream<Path> files = Files.walk(CHART)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = target.resolve(CHART.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
    }

    private static TemplateCommand withSettings(TemplateCommand template) {
        SETTINGS.forEach(template::set);
        return template;
    }

    private static TemplateCommand withSecrets(TemplateCommand template) {
        SECRETS.forEach(template::set);
        return template;
    }

    private static List<JsonNode> render(UnaryOperator<TemplateCommand> values) {
        return documents(values.apply(new Helm(CHART).template().withName(RELEASE)).call());
    }

    private static List<JsonNode> documents(String manifests) {
        ObjectMapper mapper = new ObjectMapper();
        return StreamSupport.stream(new Yaml().loadAll(manifests).spliterator(), false)
                .filter(document -> document != null)
                .map(document -> (JsonNode) mapper.valueToTree(document))
                .collect(Collectors.toList());
    }

    private static List<JsonNode> all(List<JsonNode> manifests, String kind) {
        return manifests.stream().filter(document -> document.path("kind").asText().equals(kind)).toList();
    }

    private static JsonNode one(List<JsonNode> manifests, String kind) {
        List<JsonNode> found = all(manifests, kind);
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    private static JsonNode container(List<JsonNode> manifests) {
        return one(manifests, "Deployment").at("/spec/template/spec/containers/0");
    }

    private static List<String> envFrom(List<JsonNode> manifests) {
        List<String> sources = new ArrayList<>();
        for (JsonNode source : container(manifests).path("envFrom")) {
            sources.add(source.has("configMapRef") ? "ConfigMap " + source.at("/configMapRef/name").asText()
                    : "Secret " + source.at("/secretRef/name").asText());
        }
        return sources;
    }

    private static String name(JsonNode manifest) {
        return manifest.at("/metadata/name").asText();
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(entry -> map.put(entry.getKey(), entry.getValue().asText()));
        return map;
    }

    private static Map<String, Object> loadMap(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new Yaml().load(in);
        }
    }

    /** The paths of values.yaml down to the documented ones (a documented map, such as resources, is one value). */
    @SuppressWarnings("unchecked")
    private static void collectValues(String prefix, Map<String, Object> map, Set<String> documented,
            List<String> paths) {
        map.forEach((key, value) -> {
            String path = prefix + key;
            if (value instanceof Map && !documented.contains(path)) {
                collectValues(path + ".", (Map<String, Object>) value, documented, paths);
            } else {
                paths.add(path);
            }
        });
    }

    /** Helm's way of combining values: maps are merged key by key, anything else is replaced. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        override.forEach((key, value) -> merged.merge(key, value, (old, replacement) ->
                old instanceof Map && replacement instanceof Map
                        ? merge((Map<String, Object>) old, (Map<String, Object>) replacement)
                        : replacement));
        return merged;
    }
}
