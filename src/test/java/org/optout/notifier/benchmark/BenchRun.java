package org.optout.notifier.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What the scenarios of one run share: the size, the Kafka broker, the work folder (build output under
 * {@code target/bench}), and what they found: figures, chart series and profiles.
 */
final class BenchRun {

    /** The run's database; {@code -Dbench.database} gives it another name, so that two runs can share a server. */
    static final String DATABASE = System.getProperty("bench.database", "optout_bench");

    private final Size size;
    private final Broker broker;
    private final Path work;
    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, Chart> charts = new LinkedHashMap<>();
    private final Map<String, Path> profiles = new LinkedHashMap<>();

    BenchRun(Size size, Broker broker, Path work) {
        this.size = size;
        this.broker = broker;
        this.work = work;
    }

    Size size() {
        return size;
    }

    String kafka() {
        return broker.bootstrapServers();
    }

    /** A folder of the work folder, created. */
    Path folder(String name) throws java.io.IOException {
        return Files.createDirectories(work.resolve(name));
    }

    /** An empty database for a scenario: each starts from nothing, so none measures another's leftovers. */
    BenchDatabase freshDatabase() throws java.sql.SQLException {
        return BenchDatabase.create(DATABASE);
    }

    /** Runs a measurement as often as the size says and returns the readings. */
    Stats repeat(Callable<Double> measurement) throws Exception {
        List<Double> readings = new ArrayList<>();
        for (int i = 0; i < size.repetitions(); i++) {
            readings.add(measurement.call());
        }
        return Stats.of(readings);
    }

    /**
     * Runs a measurement, not counted, until three readings in a row are within a tenth of one another, at most
     * {@code limit} times: on two cores the JIT compiles a path for tens of seconds of load, and a burst in production
     * meets a service that has been running. Two readings were not enough: the full run of 3240f42 stopped warming the
     * policy changes at 924 and 923 events/s, and its three repetitions then gave 1,115, 1,073 and 1,598 while C2 was
     * still compiling; runs of 30,000 events climbed to 2,639 before they settled. Each reading is logged.
     */
    static void warmUp(String what, int limit, Callable<Double> measurement) throws Exception {
        List<Double> readings = new ArrayList<>();
        for (int i = 1; i <= limit; i++) {
            double reading = measurement.call();
            log("  warm-up " + i + " (" + what + "): " + Report.number(reading));
            readings.add(reading);
            if (readings.size() >= 3 && settled(readings.subList(readings.size() - 3, readings.size()))) {
                return;
            }
        }
    }

    private static boolean settled(List<Double> lastThree) {
        double low = lastThree.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double high = lastThree.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return high - low <= low / 10;
    }

    void add(Figure figure) {
        figures.add(figure);
        System.out.println("  " + Report.line(figure));
    }

    Chart chart(String file, String title, String xTitle, String yTitle, boolean logarithmicX) {
        return charts.computeIfAbsent(file, f -> new Chart(f, title, xTitle, yTitle, logarithmicX));
    }

    void profile(String scenario, Path jfr) {
        profiles.put(scenario, jfr);
    }

    List<Figure> figures() {
        return figures;
    }

    Map<String, Chart> charts() {
        return charts;
    }

    Map<String, Path> profiles() {
        return profiles;
    }

    static void log(String message) {
        System.out.printf("[%tT] %s%n", System.currentTimeMillis(), message);
    }
}
