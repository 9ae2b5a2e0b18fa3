package org.optout.notifier.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark command ({@code deploy/bench/run.sh}): runs the packaged service against the machine's PostgreSQL, a
 * Kafka broker in a JVM of its own and postfix's smtp-sink, each scenario next to its baselines on the same data,
 * and reports medians, spreads and ratios.
 *
 * <p>Arguments: {@code [--size small|full] [--docs|--no-docs] [scenario...]}; no scenario means all of them.
 * {@code --docs} (the default for {@code full}) rewrites the generated part of docs/benchmarks.md and its charts;
 * otherwise the report goes to target/bench/benchmarks.md.
 */
public final class Bench {

    private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

    static {
        for (Scenario scenario : List.of(new StartUp(), new SignUp(), new Ingest(), new Delivery(), new FanOut())) {
            SCENARIOS.put(scenario.name(), scenario);
        }
    }

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String sizeName = "small";
        Boolean docs = null;
        List<Scenario> chosen = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--size" -> sizeName = args[++i];
                case "--docs" -> docs = true;
                case "--no-docs" -> docs = false;
                default -> {
                    Scenario scenario = SCENARIOS.get(args[i]);
                    if (scenario == null) {
                        throw new IllegalArgumentException("Unknown scenario " + args[i] + "; known: "
                                + SCENARIOS.keySet());
                    }
                    chosen.add(scenario);
                }
            }
        }
        if (chosen.isEmpty()) {
            chosen.addAll(SCENARIOS.values());
        }
        Size size = Size.of(sizeName);
        boolean writeDocs = docs != null ? docs : size.name().equals("full");
        Path work = Files.createDirectories(Path.of("target", "bench"));
        long started = System.nanoTime();
        List<String> failed = new ArrayList<>();
        BenchRun.log("Benchmark, size " + size.name() + ": " + size.describe());
        try (Broker broker = Broker.start(work)) {
            BenchRun run = new BenchRun(size, broker, work);
            List<String> durations = new ArrayList<>();
            for (Scenario scenario : chosen) {
                BenchRun.log("Scenario " + scenario.name());
                long begun = System.nanoTime();
                try {
                    scenario.run(run);
                } catch (Exception e) {
                    // The other scenarios still run and report; the command fails at the end.
                    e.printStackTrace();
                    failed.add(scenario.name() + ": " + e);
                }
                durations.add(scenario.name() + " " + seconds(begun) + " s");
            }
            String elapsed = seconds(started) + " s (" + String.join(", ", durations) + ")";
            Path document = writeDocs ? Path.of("docs", "benchmarks.md") : work.resolve("benchmarks.md");
            Report.write(document, Report.markdown(run, Machine.describe(), elapsed, failed), run);
            BenchRun.log("Done in " + elapsed + "; report in " + document);
        } finally {
            BenchDatabase.dropIfExists(BenchRun.DATABASE);
        }
        if (!failed.isEmpty()) {
            System.err.println("Scenarios that failed: " + failed);
            System.exit(1);
        }
    }

    private static long seconds(long since) {
        return Duration.ofNanos(System.nanoTime() - since).toSeconds();
    }
}
