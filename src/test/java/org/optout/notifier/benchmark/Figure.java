package org.optout.notifier.benchmark;

/**
 * One line of the report: what the service achieved, next to what a baseline achieved on the same data in the same
 * run. The ratio is the headline, because absolute figures on a shared machine move from run to run.
 *
 * @param higherIsBetter whether a larger value is better (rates) or worse (times, memory)
 * @param target the goal the throughput issues design for (in {@code unit}), or null where there is none
 * @param minRatio the least ratio to the baseline the goal asks for, or null
 */
record Figure(String scenario, String size, String name, Stats value, String unit, boolean higherIsBetter,
        String baselineName, Stats baseline, Double target, Double minRatio) {

    static Figure of(String scenario, String size, String name, Stats value, String unit, boolean higherIsBetter) {
        return new Figure(scenario, size, name, value, unit, higherIsBetter, null, null, null, null);
    }

    Figure against(String name, Stats baseline) {
        return new Figure(scenario, size, this.name, value, unit, higherIsBetter, name, baseline, target, minRatio);
    }

    Figure target(Double target, Double minRatio) {
        return new Figure(scenario, size, name, value, unit, higherIsBetter, baselineName, baseline, target, minRatio);
    }

    /** Service against baseline, oriented so that 1.0 means "as good as the baseline" and more is better. */
    Double ratio() {
        if (baseline == null || baseline.median() == 0 || value.median() == 0) {
            return null;
        }
        return higherIsBetter ? value.median() / baseline.median() : baseline.median() / value.median();
    }

    /** Whether the goal is met, or null where there is none. */
    Boolean met() {
        if (target == null && minRatio == null) {
            return null;
        }
        boolean valueMet = target == null || (higherIsBetter ? value.median() >= target : value.median() <= target);
        boolean ratioMet = minRatio == null || ratio() != null && ratio() >= minRatio;
        return valueMet && ratioMet;
    }

    String targetText() {
        String value = target == null ? "" : (higherIsBetter ? "≥ " : "≤ ") + Report.number(target) + " " + unit;
        String ratio = minRatio == null ? "" : "ratio ≥ " + minRatio;
        return value.isEmpty() || ratio.isEmpty() ? value + ratio : value + ", " + ratio;
    }
}
