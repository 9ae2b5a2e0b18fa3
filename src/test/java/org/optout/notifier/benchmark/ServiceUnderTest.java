package org.optout.notifier.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.optout.notifier.infrastructure.PackagedApplication;

/**
 * The packaged application ({@code target/quarkus-app}) as production runs it: its {@code %prod} profile, every
 * setting from the environment, a pod's memory budget ({@code -XX:MaxRAM}). On top of the required settings, the
 * benchmark switches off what would measure a limit instead of the service: the send-rate limit, the approval gate
 * (it would hold the million-subscriber change) and the per-IP sign-up limit, with {@code X-Forwarded-For} trusted
 * from 127.0.0.1 so that each sign-up request comes from an address of its own.
 */
public final class ServiceUnderTest implements AutoCloseable {

    public static final String SOURCE = "https://bench.example.org";
    private static final String ENV_PREFIX = "bench.env.";
    static final String MEMORY_BUDGET = System.getProperty("bench.max-ram", "1g");
    /** As the image starts the service (src/main/docker/Dockerfile.jvm). */
    private static final String TRIM_NATIVE_HEAP = "-XX:TrimNativeHeapInterval=30000";
    private static final String ADMIN_PASSWORD = "benchmark-admin-password";
    private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} (\\S+)",
            Pattern.MULTILINE);
    private static final Pattern PROFILER_MEMORY = Pattern.compile(
            "-\\s+(?:Tracing|Native Memory Tracking) \\(reserved=\\d+KB, committed=(\\d+)KB");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final PackagedApplication application;

    private ServiceUnderTest(PackagedApplication application) {
        this.application = application;
    }

    /** The settings of a benchmark run (README, "Configuration"). */
    public static Map<String, String> environment(String databaseUrl, String kafka, int smtpPort) {
        Map<String, String> env = new HashMap<>(Map.ofEntries(
                Map.entry("QUARKUS_DATASOURCE_JDBC_URL", databaseUrl),
                Map.entry("QUARKUS_DATASOURCE_USERNAME", BenchDatabase.USER),
                Map.entry("QUARKUS_DATASOURCE_PASSWORD", "unused-with-trust-auth"),
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", kafka),
                Map.entry("NOTIFIER_KAFKA_GROUP_ID", "optout-notifier-bench"),
                Map.entry("QUARKUS_MAILER_HOST", "127.0.0.1"),
                Map.entry("QUARKUS_MAILER_PORT", String.valueOf(smtpPort)),
                Map.entry("QUARKUS_MAILER_TLS", "false"),
                Map.entry("QUARKUS_MAILER_START_TLS", "DISABLED"),
                Map.entry("QUARKUS_MAILER_FROM", "optout-notifier <noreply@optout.example.org>"),
                Map.entry("NOTIFIER_BASE_URL", "https://optout.example.org"),
                Map.entry("NOTIFIER_POLICY_ALLOWED_SOURCES", SOURCE),
                Map.entry("NOTIFIER_TOKEN_KEY", "benchmark-token-key-0123456789-0123456789"),
                Map.entry("NOTIFIER_EMAIL_HASH_KEY", "benchmark-email-hash-key-0123456789-0123456789"),
                Map.entry("NOTIFIER_ADMIN_PASSWORD", ADMIN_PASSWORD),
                // What the benchmark needs, said in docs/benchmarks.md.
                Map.entry("NOTIFIER_DELIVERY_MAX_MAILS_PER_SECOND", "0"),
                Map.entry("NOTIFIER_DELIVERY_POLL", "1s"),
                Map.entry("NOTIFIER_POLICY_APPROVAL_THRESHOLD", "0"),
                Map.entry("NOTIFIER_RATE_LIMIT_SIGN_UPS_PER_WINDOW", "1000000000"),
                Map.entry("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true"),
                Map.entry("QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED", "true"),
                Map.entry("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES", "127.0.0.1")));
        // A setting to try against the defaults, e.g. -Dbench.env.NOTIFIER_DELIVERY_BATCHES_IN_FLIGHT=1.
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(ENV_PREFIX))
                .forEach(name -> env.put(name.substring(ENV_PREFIX.length()), System.getProperty(name)));
        return env;
    }

    /** Starts the service and waits until it is ready; with a JFR recording written at exit when {@code jfr} is set. */
    public static ServiceUnderTest start(String name, Map<String, String> environment, Path jfr) throws Exception {
        ServiceUnderTest service = launch(name, environment, jfr);
        service.application.awaitReady(Duration.ofSeconds(120));
        return service;
    }

    public static ServiceUnderTest launch(String name, Map<String, String> environment, Path jfr) throws IOException {
        return new ServiceUnderTest(PackagedApplication.start(name, jvmOptions(jfr), environment));
    }

    /** Another packaged application (a baseline), started as the service is, once it is ready. */
    static ServiceUnderTest start(Path jar, String name, Map<String, String> environment, Path jfr) throws Exception {
        ServiceUnderTest application = new ServiceUnderTest(
                PackagedApplication.start(jar, name, jvmOptions(jfr), environment));
        application.application.awaitReady(Duration.ofSeconds(120));
        return application;
    }

    private static List<String> jvmOptions(Path jfr) {
        // A process out of memory ends, as in the container image (its run-java.sh sets the flag), rather than limp on.
        List<String> jvm = new ArrayList<>(List.of("-XX:MaxRAM=" + MEMORY_BUDGET, "-XX:+ExitOnOutOfMemoryError",
                TRIM_NATIVE_HEAP));
        if (jfr != null) {
            jvm.add("-XX:StartFlightRecording=filename=" + jfr.toAbsolutePath() + ",settings=profile,dumponexit=true");
            // Hibernate's and the JDBC driver's stacks are deeper than JFR's default 64 frames: without the frames
            // near the root a sample cannot be told to belong to claiming, rendering or recording.
            jvm.add("-XX:FlightRecorderOptions=stackdepth=256");
            // So that the recording's own memory can be told apart from the service's (profilerMiB).
            jvm.add("-XX:NativeMemoryTracking=summary");
        }
        return jvm;
    }

    public PackagedApplication application() {
        return application;
    }

    public URI uri(String path) {
        return application.uri(path);
    }

    double residentMiB() {
        return Processes.residentMiB(application.pid(), "VmRSS");
    }

    /**
     * Memory that the profiler (JFR's buffers and stack traces: "Tracing") and the memory tracking itself hold, from
     * the JVM's native memory summary (MiB); 0 for a service started without a recording.
     */
    double profilerMiB() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process summary = new ProcessBuilder(jcmd.toString(), String.valueOf(application.pid()),
                "VM.native_memory", "summary").redirectErrorStream(true).start();
        String output = new String(summary.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        summary.waitFor();
        Matcher m = PROFILER_MEMORY.matcher(output);
        long kib = 0;
        while (m.find()) {
            kib += Long.parseLong(m.group(1));
        }
        return kib / 1024.0;
    }

    /** Heap in use, from the service's own metrics (MiB), or NaN when it does not answer. */
    double heapMiB() {
        try {
            String metrics = PackagedApplication.body(application.managementUri("/q/metrics"));
            Matcher m = HEAP.matcher(metrics);
            double bytes = 0;
            while (m.find()) {
                bytes += Double.parseDouble(m.group(1));
            }
            return bytes / (1024 * 1024);
        } catch (IOException | InterruptedException e) {
            return Double.NaN;
        }
    }

    public void pauseSending() throws IOException, InterruptedException {
        admin("/api/admin/sending/pause");
    }

    public void resumeSending() throws IOException, InterruptedException {
        admin("/api/admin/sending/resume");
    }

    private void admin(String path) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Basic " + basic).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    public void kill() throws InterruptedException {
        application.kill();
    }

    /** Stops it as Kubernetes would (SIGTERM), so that a JFR recording is written. */
    @Override
    public void close() throws InterruptedException {
        application.stop(Duration.ofSeconds(30));
    }
}
