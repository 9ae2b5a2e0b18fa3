package org.optout.notifier.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optout.notifier.benchmark.BenchDatabase;
import org.optout.notifier.benchmark.Broker;

/**
 * The fault-injection suite ({@code deploy/faults/run.sh}): the packaged service as real processes against the
 * machine's PostgreSQL, a Kafka broker in its own JVM and postfix's smtp-sink, each scenario injecting one fault while
 * it holds a load, outcomes counted at the SMTP server and in the topics.
 *
 * <p>Arguments: {@code [--size quick|full] [--docs|--no-docs] [scenario...]}; no scenario means all of them.
 * {@code --docs} (the default for {@code full}) writes the table into docs/reliability.md; the report always goes to
 * target/faults/faults.md too.
 */
public final class FaultSuite {

    private static final Map<String, FaultScenario> SCENARIOS = new LinkedHashMap<>();
    private static final String BEGIN = "<!-- fault-suite:begin -->";
    private static final String END = "<!-- fault-suite:end -->";

    static {
        for (FaultScenario scenario : List.of(new Crash(), new Pause(), new CompetingReplicas(),
                new DatabaseOutage(), new BrokerRestart(), new Poison())) {
            SCENARIOS.put(scenario.name(), scenario);
        }
    }

    private FaultSuite() {
    }

    public static void main(String[] args) throws Exception {
        String sizeName = "quick";
        Boolean docs = null;
        List<FaultScenario> chosen = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--size" -> sizeName = args[++i];
                case "--docs" -> docs = true;
                case "--no-docs" -> docs = false;
                default -> chosen.add(scenario(args[i]));
            }
        }
        if (chosen.isEmpty()) {
            chosen.addAll(SCENARIOS.values());
        }
        FaultSize size = FaultSize.of(sizeName);
        long seed = Long.getLong("faults.seed", System.nanoTime());
        Path work = Files.createDirectories(Path.of("target", "faults"));
        long started = System.nanoTime();
        log("Fault suite, size " + size.name() + " (" + size.describe() + "), seed " + seed);
        List<Finding> findings = new ArrayList<>();
        try (Broker broker = Broker.start(work)) {
            FaultRun run = new FaultRun(size, broker, work, seed);
            for (FaultScenario scenario : chosen) {
                log("Scenario " + scenario.name());
                long begun = System.nanoTime();
                Finding finding;
                try {
                    finding = scenario.run(run);
                } catch (Exception e) {
                    // The other scenarios still run and report; the command fails at the end.
                    e.printStackTrace();
                    finding = new Finding(scenario.name()).check(false, "ended with " + e);
                }
                finding.note("took " + seconds(begun) + " s");
                findings.add(finding);
            }
        } finally {
            BenchDatabase.dropIfExists(Stage.DATABASE);
        }
        String report = report(size, seed, seconds(started), findings);
        Files.writeString(work.resolve("faults.md"), report);
        if (docs != null ? docs : size.name().equals("full")) {
            writeInto(Path.of("docs", "reliability.md"), report);
        }
        System.out.println(report);
        if (findings.stream().anyMatch(f -> !f.passed())) {
            System.err.println("Promises broken: see the table above");
            System.exit(1);
        }
    }

    private static FaultScenario scenario(String name) {
        FaultScenario scenario = SCENARIOS.get(name);
        if (scenario == null) {
            throw new IllegalArgumentException("Unknown scenario " + name + "; known: " + SCENARIOS.keySet());
        }
        return scenario;
    }

    private static String report(FaultSize size, long seed, long seconds, List<Finding> findings) {
        StringBuilder out = new StringBuilder();
        out.append("Last run: ").append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
                .append(", size ").append(size.name()).append(", seed ").append(seed).append(", ")
                .append(seconds).append(" s (`deploy/faults/run.sh --size ").append(size.name()).append("`).\n\n")
                .append("| scenario | load held | faults injected | bad inputs tried | lost | duplicates (bound) "
                        + "| result | seen |\n|---|---|---|---|---|---|---|---|\n");
        for (Finding finding : findings) {
            out.append(finding.row()).append('\n');
        }
        return out.toString();
    }

    /** Replaces what is between the suite's markers in the document. */
    private static void writeInto(Path document, String report) throws java.io.IOException {
        String text = Files.readString(document);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException(document + " lacks the markers " + BEGIN + " and " + END);
        }
        Files.writeString(document, text.substring(0, begin + BEGIN.length()) + "\n" + report
                + text.substring(end));
    }

    static void log(String line) {
        System.out.println(LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + " " + line);
    }

    private static long seconds(long since) {
        return Duration.ofNanos(System.nanoTime() - since).toSeconds();
    }
}
