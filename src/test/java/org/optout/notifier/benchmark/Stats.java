package org.optout.notifier.benchmark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The repeated readings of one figure: the median is reported, the spread says how far the runs were apart. */
record Stats(List<Double> values) {

    static Stats of(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return new Stats(List.copyOf(sorted));
    }

    double median() {
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }

    double min() {
        return values.get(0);
    }

    double max() {
        return values.get(values.size() - 1);
    }

    /** Max minus min, as a share of the median: 0.1 means the runs were within 10 % of each other. */
    double spread() {
        return median() == 0 ? 0 : (max() - min()) / median();
    }

    /** The q-quantile (0..1) of single observations, for latencies. */
    static double quantile(List<Double> observations, double q) {
        List<Double> sorted = new ArrayList<>(observations);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
