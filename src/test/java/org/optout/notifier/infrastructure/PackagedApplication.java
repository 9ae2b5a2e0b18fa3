package org.optout.notifier.infrastructure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}, built by {@code package}) in a child JVM that
 * gets its settings from its environment only, as a container does: nothing of the test JVM's environment or system
 * properties reaches it but {@code PATH} and {@code JAVA_HOME}. Its console output goes to
 * {@code target/packaged-app/<name>.log}. Each child gets a free HTTP port and a free management port (health and
 * metrics, {@code %prod}). A child left running by a failed test is killed when the test JVM exits.
 */
public final class PackagedApplication implements AutoCloseable {

    private static final Path JAR = Path.of(System.getProperty("quarkus-app.jar", "target/quarkus-app/quarkus-run.jar"));
    private static final Path LOGS = Path.of("target", "packaged-app");
    private static final String ARCHIVE = "app-cds.jsa";
    private static final String JAVA_HOME = System.getProperty("java.home");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final int managementPort;
    private final Path log;
    private final Process process;

    private PackagedApplication(String name, int port, int managementPort, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts the jar on a free HTTP port and a free management port with exactly these environment variables (plus the
     * ports, PATH, JAVA_HOME).
     */
    public static PackagedApplication start(String name, Map<String, String> environment) throws IOException {
        return start(name, List.of("-Xmx384m"), environment);
    }

    /** As {@link #start(String, Map)}, with these JVM options instead of the default heap limit. */
    public static PackagedApplication start(String name, List<String> jvmOptions, Map<String, String> environment)
            throws IOException {
        return start(JAR, name, jvmOptions, environment);
    }

    /** As {@link #start(String, List, Map)}, for another packaged application than this one (a benchmark's baseline). */
    public static PackagedApplication start(Path jar, String name, List<String> jvmOptions,
            Map<String, String> environment) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the packaged-application tests run after `package`");
        }
        Files.createDirectories(LOGS);
        Path log = LOGS.resolve(name + ".log");
        int port = freePort();
        int managementPort = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(JAVA_HOME, "bin", "java").toString());
        command.addAll(jvmOptions);
        // The class-data archive the build leaves beside the jar (quarkus.package.jar.aot), used as the image uses
        // it: the archive names the jar relative to its folder, so the JVM starts there.
        Path folder = jar.toAbsolutePath().getParent();
        if (Files.isRegularFile(folder.resolve(ARCHIVE))) {
            command.add("-XX:SharedArchiveFile=" + ARCHIVE);
        }
        command.addAll(List.of("-jar", jar.getFileName().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("JAVA_HOME", JAVA_HOME);
        env.putAll(environment);
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, name + "-kill"));
        return new PackagedApplication(name, port, managementPort, log, process);
    }

    /** The operating system's process id, for readings of its memory in {@code /proc}. */
    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String name() {
        return name;
    }

    /** A URI on the main HTTP port: the application's pages and API. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A URI on the management port: {@code /q/health}, {@code /q/metrics}, {@code /q/openapi}. */
    public URI managementUri(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    /**
     * Waits until {@code /q/health/ready} on the management port answers 200 (UP); fails at once if the process ends
     * first.
     */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                HttpRequest request = HttpRequest.newBuilder(managementUri("/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build();
                HttpResponse<String> ready = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200 && ready.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // Checked again below, until the deadline.
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " not ready within " + timeout + "; see " + log);
    }

    /** The status code of a GET of this URI (of {@link #uri} or {@link #managementUri}). */
    public static int status(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The body of a GET of this URI, whatever its status (a health check that is DOWN answers 503). */
    public static String body(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Waits for the process to end by itself and returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout + "; see " + log);
        }
        return process.exitValue();
    }

    /** Ends the process as Kubernetes does (SIGTERM), so that it shuts down and writes what it writes at exit. */
    public void stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
    }

    /** Ends the process as a crash or an OOM kill would: SIGKILL, no shutdown of any kind. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Everything the process wrote to its console so far. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
