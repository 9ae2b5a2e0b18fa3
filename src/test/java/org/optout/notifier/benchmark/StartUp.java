package org.optout.notifier.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up and footprint: from the process's start until {@code /q/health/ready} answers UP, Quarkus' own "started
 * in", and the resident memory right after, each next to the same readings of a bare Quarkus application with the
 * same extensions (what the framework alone costs on this machine). The database is migrated beforehand, as a replica
 * joining a running deployment finds it; a last start, not counted, records a JFR profile (at the full size).
 */
final class StartUp implements Scenario {

    private static final Pattern STARTED_IN = Pattern.compile("started in ([0-9.]+)s");
    /**
     * The framework alone: the service's Quarkus version and extensions, one use of each, built by run.sh from
     * deploy/bench/start-up-baseline and started the same way against the same database, broker and relay.
     */
    private static final Path BASELINE = Path.of(System.getProperty("bench.start-up.baseline",
            "deploy/bench/start-up-baseline/target/quarkus-app/quarkus-run.jar"));
    private static final String BASELINE_NAME = "bare Quarkus, same extensions";

    @Override
    public String name() {
        return "start-up";
    }

    @Override
    public void run(BenchRun run) throws Exception {
        try (BenchDatabase database = run.freshDatabase(); SmtpSink sink = SmtpSink.start()) {
            var environment = ServiceUnderTest.environment(database.url(), run.kafka(), sink.port());
            // A consumer group of their own: a killed member stays in its group until its session times out (45 s),
            // and the next service to join the benchmark's group would wait for that.
            environment.put("NOTIFIER_KAFKA_GROUP_ID", "optout-notifier-bench-start-up");
            // Measured on a migrated database, as a pod restarts; Flyway from here is seconds faster than a start.
            database.migrate();
            // The baseline migrates its own schema at a first start, not counted either.
            startAndKill(BASELINE, "start-up-baseline-0", environment, new Starts());
            Starts service = new Starts();
            Starts baseline = new Starts();
            // Alternated, so that a slow minute of the shared machine falls on both.
            for (int i = 1; i <= run.size().startUps(); i++) {
                startAndKill(null, "start-up-" + i, environment, service);
                startAndKill(BASELINE, "start-up-baseline-" + i, environment, baseline);
            }
            if (run.size().profiledStartUp()) {
                // One more start, not counted, with a profile: what the start-up spends its time on.
                Path jfr = run.folder("profiles").resolve("start-up.jfr");
                ServiceUnderTest.start("start-up-profiled", environment, jfr).close();
                run.profile("start-up", jfr);
                Path baselineJfr = run.folder("profiles").resolve("start-up-baseline.jfr");
                ServiceUnderTest.start(BASELINE, "start-up-baseline-profiled", environment, baselineJfr).close();
                run.profile("start-up (" + BASELINE_NAME + ")", baselineJfr);
            }
            String starts = run.size().startUps() + " starts";
            run.add(Figure.of(name(), starts, "process start to ready", Stats.of(service.ready), "s", false)
                    .against(BASELINE_NAME, Stats.of(baseline.ready)).target(3.0, null));
            run.add(Figure.of(name(), starts, "Quarkus \"started in\"", Stats.of(service.startedIn), "s", false)
                    .against(BASELINE_NAME, Stats.of(baseline.startedIn)));
            run.add(Figure.of(name(), starts, "RSS after start", Stats.of(service.resident), "MiB", false)
                    .against(BASELINE_NAME, Stats.of(baseline.resident)).target(300.0, null));
        }
    }

    /** Starts the service ({@code jar} null) or the baseline, waits until it is ready, notes the figures, kills it. */
    private static void startAndKill(Path jar, String name, Map<String, String> environment, Starts starts)
            throws Exception {
        long begin = System.nanoTime();
        ServiceUnderTest started = jar == null ? ServiceUnderTest.start(name, environment, null)
                : ServiceUnderTest.start(jar, name, environment, null);
        starts.ready.add((System.nanoTime() - begin) / 1e9);
        starts.resident.add(started.residentMiB());
        Matcher m = STARTED_IN.matcher(started.application().output());
        starts.startedIn.add(m.find() ? Double.parseDouble(m.group(1)) : Double.NaN);
        // Nothing of a graceful shutdown is measured here.
        started.kill();
    }

    /** The readings of one application's starts. */
    private static final class Starts {
        final List<Double> ready = new ArrayList<>();
        final List<Double> startedIn = new ArrayList<>();
        final List<Double> resident = new ArrayList<>();
    }
}
