package org.optout.notifier.benchmark;

/** Ingest: policy changes and partner sign-ups consumed from Kafka and stored (written next). */
final class Ingest implements Scenario {

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public void run(BenchRun run) {
        throw new UnsupportedOperationException("ingest");
    }
}
