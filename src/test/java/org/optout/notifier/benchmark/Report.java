package org.optout.notifier.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;

/**
 * The run's findings: a table on the console, and the generated part of docs/benchmarks.md (between its markers) with
 * the charts beside it in docs/benchmarks/.
 */
final class Report {

    static final String START = "<!-- bench:start (written by deploy/bench/run.sh, do not edit by hand) -->";
    static final String END = "<!-- bench:end -->";

    private Report() {
    }

    static String line(Figure f) {
        String baseline = f.baseline() == null ? "" : "  vs " + f.baselineName() + " " + value(f.baseline(), f.unit())
                + "  ratio " + (f.ratio() == null ? "-" : "%.2f".formatted(f.ratio()));
        String met = f.met() == null ? "" : "  target " + f.targetText() + (f.met() ? ": met" : ": NOT met");
        return f.scenario() + " [" + f.size() + "] " + f.name() + ": " + value(f.value(), f.unit()) + baseline + met;
    }

    static String value(Stats s, String unit) {
        return number(s.median()) + " " + unit + " (±" + Math.round(s.spread() * 50) + " %)";
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String markdown(BenchRun run, String machine, String elapsed, java.util.List<String> failed)
            throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("Measured on ").append(LocalDate.now()).append(" by `deploy/bench/run.sh --size ")
                .append(run.size().name()).append("` on ").append(machine).append(" in ").append(elapsed)
                .append(".\n\nSizes: ").append(run.size().describe()).append(".\n\n")
                .append("Each figure is the median of the repetitions; ± is half the spread between the fastest and "
                        + "the slowest, as a share of the median. The ratio compares the service with the baseline "
                        + "measured in the same run on the same data, oriented so that more is better for the "
                        + "service (1.0: as good as the baseline).\n\n")
                .append("| scenario | size | figure | service | baseline | baseline figure | ratio | target | met |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
        for (Figure f : run.figures()) {
            md.append("| ").append(f.scenario()).append(" | ").append(f.size()).append(" | ").append(f.name())
                    .append(" | ").append(value(f.value(), f.unit())).append(" | ")
                    .append(f.baselineName() == null ? "" : f.baselineName()).append(" | ")
                    .append(f.baseline() == null ? "" : value(f.baseline(), f.unit())).append(" | ")
                    .append(f.ratio() == null ? "" : "%.2f".formatted(f.ratio())).append(" | ")
                    .append(f.targetText()).append(" | ")
                    .append(f.met() == null ? "" : f.met() ? "yes" : "**no**").append(" |\n");
        }
        for (String failure : failed) {
            md.append("\n**Failed:** ").append(failure).append('\n');
        }
        for (Chart chart : run.charts().values()) {
            md.append("\n![").append(chart.title()).append("](benchmarks/").append(chart.file()).append(".png)\n");
        }
        for (var profile : run.profiles().entrySet()) {
            JfrSummary.Summary summary = JfrSummary.of(profile.getValue(), 10);
            md.append("\n**JFR profile of ").append(profile.getKey()).append("** (").append(summary.samples())
                    .append(" CPU samples of the recorded process; `").append(profile.getValue().getFileName())
                    .append("` in target/bench/profiles). The process used ").append(percent(summary.processCpu()))
                    .append(" of the machine's CPU meanwhile (all cores; the whole machine ")
                    .append(percent(summary.machineCpu())).append(").\n\n| on top of the stack, by library (self) | share "
                            + "| method on top of the stack (self) | share | service method on the stack (total) "
                            + "| share |\n|---|---|---|---|---|---|\n");
            for (int i = 0; i < summary.self().size(); i++) {
                md.append("| ").append(cost(summary.components(), i)).append(" | ").append(cost(summary.self(), i))
                        .append(" | ").append(cost(summary.service(), i)).append(" |\n");
            }
        }
        return md.toString();
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "an unknown share" : String.format(Locale.ROOT, "%.0f %%", share * 100);
    }

    private static String cost(java.util.List<JfrSummary.Cost> costs, int i) {
        if (i >= costs.size()) {
            return " | ";
        }
        String name = costs.get(i).method();
        return (name.contains(".") && !name.contains(" ") ? "`" + name + "`" : name) + " | "
                + String.format(Locale.ROOT, "%.1f %%", costs.get(i).share() * 100);
    }

    /** Replaces the generated part of the document (or appends it) and writes the charts beside it. */
    static void write(Path document, String generated, BenchRun run) throws IOException {
        String text = Files.exists(document) ? Files.readString(document) : "# Benchmarks\n";
        String block = START + "\n" + generated + END;
        int start = text.indexOf(START);
        int end = text.indexOf(END);
        text = start >= 0 && end > start ? text.substring(0, start) + block + text.substring(end + END.length())
                : text + "\n" + block + "\n";
        Files.writeString(document, text);
        Path charts = Files.createDirectories(document.resolveSibling("benchmarks"));
        for (Chart chart : run.charts().values()) {
            chart.write(charts);
        }
    }
}
