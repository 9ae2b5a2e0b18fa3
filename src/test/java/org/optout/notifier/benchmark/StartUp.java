package org.optout.notifier.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up and footprint: from the process's start until {@code /q/health/ready} answers UP, Quarkus' own "started
 * in", and the resident memory right after. The database is migrated by a first start that is not counted, as a
 * replica joining a running deployment finds it; a last start, not counted either, records a JFR profile (at the full size).
 */
final class StartUp implements Scenario {

    private static final Pattern STARTED_IN = Pattern.compile("started in ([0-9.]+)s");

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
            List<Double> ready = new ArrayList<>();
            List<Double> startedIn = new ArrayList<>();
            List<Double> resident = new ArrayList<>();
            for (int i = 1; i <= run.size().startUps(); i++) {
                long begin = System.nanoTime();
                ServiceUnderTest service = ServiceUnderTest.start("start-up-" + i, environment, null);
                ready.add((System.nanoTime() - begin) / 1e9);
                resident.add(service.residentMiB());
                Matcher m = STARTED_IN.matcher(service.application().output());
                startedIn.add(m.find() ? Double.parseDouble(m.group(1)) : Double.NaN);
                // Nothing of a graceful shutdown is measured here.
                service.kill();
            }
            if (run.size().profiledStartUp()) {
                // One more start, not counted, with a profile: what the start-up spends its time on.
                Path jfr = run.folder("profiles").resolve("start-up.jfr");
                ServiceUnderTest.start("start-up-profiled", environment, jfr).close();
                run.profile("start-up", jfr);
            }
            String starts = run.size().startUps() + " starts";
            run.add(Figure.of(name(), starts, "process start to ready", Stats.of(ready), "s", false).target(3.0, null));
            run.add(Figure.of(name(), starts, "Quarkus \"started in\"", Stats.of(startedIn), "s", false));
            run.add(Figure.of(name(), starts, "RSS after start", Stats.of(resident), "MiB", false).target(300.0, null));
        }
    }
}
