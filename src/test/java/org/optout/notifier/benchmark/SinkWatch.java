package org.optout.notifier.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches a sink's counter while a sender works, every 50 ms: how many mails arrived when, the sustained rate over
 * the steady part of the run (from the tenth to the ninetieth percent of the mails, leaving out warm-up and the tail),
 * and the rate second by second for the chart.
 */
final class SinkWatch {

    private final SmtpSink sink;
    private final long base;
    private final long start = System.nanoTime();
    private final List<double[]> samples = new ArrayList<>();

    SinkWatch(SmtpSink sink) {
        this.sink = sink;
        this.base = sink.messages();
        samples.add(new double[] {0, 0});
    }

    /** Waits until {@code count} mails arrived or {@code limit} passed, or {@code sender} ended without them. */
    SinkWatch await(long count, Duration limit, ProcessHandle sender) throws InterruptedException {
        long deadline = start + limit.toNanos();
        while (received() < count && System.nanoTime() < deadline && (sender == null || sender.isAlive())) {
            sample();
            Thread.sleep(50);
        }
        sample();
        return this;
    }

    long received() {
        return sink.messages() - base;
    }

    private void sample() {
        samples.add(new double[] {(System.nanoTime() - start) / 1e9, received()});
    }

    /** Mails per second between the arrival of the tenth and of the ninetieth percent of what arrived. */
    double steadyRate() {
        double total = samples.get(samples.size() - 1)[1];
        double[] from = first(total * 0.1);
        double[] to = first(total * 0.9);
        if (to[0] <= from[0]) {
            return total / samples.get(samples.size() - 1)[0];
        }
        return (to[1] - from[1]) / (to[0] - from[0]);
    }

    private double[] first(double count) {
        return samples.stream().filter(s -> s[1] >= count).findFirst().orElse(samples.get(samples.size() - 1));
    }

    /** Adds the rate per second to the chart, as one series. */
    void plot(Chart chart, String series) {
        int second = 1;
        double previous = 0;
        for (double[] sample : samples) {
            if (sample[0] >= second) {
                chart.point(series, second, sample[1] - previous);
                previous = sample[1];
                second++;
            }
        }
    }
}
