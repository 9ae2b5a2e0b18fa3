package org.optout.notifier.benchmark;

/** One of the benchmark's measurements: it runs the service and its baselines and adds figures to the run. */
interface Scenario {

    /** The name on the command line and in the report. */
    String name();

    void run(BenchRun run) throws Exception;
}
