package org.optout.notifier.benchmark;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Fan-out: one policy change matching N active subscribers (two lead days each), from the record being produced
 * until every first reminder can be claimed by the dispatcher (the change is stored and its planning task is done),
 * and the service's peak heap and resident memory meanwhile. Baseline: the same reminder rows written by PostgreSQL
 * {@code COPY} into a table identical to {@code reminder} (same columns, constraints, indexes and foreign key).
 */
final class FanOut implements Scenario {

    static final List<String> REGIONS = List.of("EU", "EEA", "CH", "CA", "HK");
    /** Far enough ahead that nothing planned is due during the run. */
    private static final int DAYS_AHEAD = 60;

    @Override
    public String name() {
        return "fan-out";
    }

    @Override
    public void run(BenchRun run) throws Exception {
        Chart chart = run.chart("fan-out", "Fan-out: subscribers planned per second against audience",
                "matched subscribers", "subscribers/s", true);
        Path jfr = run.folder("profiles").resolve("fan-out.jfr");
        try (BenchDatabase database = run.freshDatabase(); SmtpSink sink = SmtpSink.start();
                Events events = new Events(run.kafka());
                ServiceUnderTest app = ServiceUnderTest.start("fan-out",
                        ServiceUnderTest.environment(database.url(), run.kafka(), sink.port()), jfr)) {
            long seeded = 0;
            for (int audience : run.size().fanOutAudiences()) {
                BenchRun.log("Fan-out: " + audience + " subscribers");
                // Each audience adds to the last one; nothing is planned for those added, as after a bulk import.
                Audience.add(database, seeded, audience);
                seeded = audience;
                String size = String.format("%,d", audience);
                List<String> changes = new ArrayList<>();
                Stats service;
                double peakHeap;
                double peakResident;
                try (MemoryWatch memory = new MemoryWatch(app)) {
                    service = run.repeat(() -> {
                        String changeId = "bench-fan-out-" + audience + "-" + (changes.size() + 1);
                        changes.add(changeId);
                        return plan(database, events, changeId, audience);
                    });
                    peakHeap = memory.peakHeapMiB();
                    peakResident = memory.peakResidentMiB();
                }
                Stats copy = copyBaseline(run, database, changes.get(changes.size() - 1));
                boolean million = audience == 1_000_000;
                run.add(Figure.of(name(), size, "produced to every first reminder claimable", service, "s", false)
                        .against("PostgreSQL COPY of the same rows", copy)
                        .target(million ? 15.0 : null, million ? 0.5 : null));
                run.add(Figure.of(name(), size, "peak heap", Stats.of(List.of(peakHeap)), "MiB", false)
                        .target(million ? 512.0 : null, null));
                run.add(Figure.of(name(), size, "peak RSS", Stats.of(List.of(peakResident)), "MiB", false));
                chart.point("optout-notifier", audience, audience / service.median());
                chart.point("PostgreSQL COPY", audience, audience / copy.median());
                database.execute("truncate reminder");
            }
        }
        run.profile("fan-out", jfr);
    }

    /** Publishes a change matching the whole audience and waits until it is planned; the seconds it took. */
    private static double plan(BenchDatabase database, Events events, String changeId, int audience)
            throws Exception {
        database.execute("truncate reminder", "truncate outbox_event");
        long start = System.nanoTime();
        events.send(Events.change(changeId, LocalDate.now().plusDays(DAYS_AHEAD), REGIONS)).get();
        long deadline = start + java.time.Duration.ofMinutes(30).toNanos();
        while (database.count("select count(*) from policy_change where change_id = ?", changeId) == 0
                || database.count("select count(*) from planning_task where change_id = ?", changeId) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(changeId + " not planned within 30 minutes");
            }
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long first = database.count("select count(*) from reminder where change_id = ? and lead_day = 7", changeId);
        if (first != audience) {
            throw new IllegalStateException(changeId + ": " + first + " first reminders for " + audience
                    + " subscribers");
        }
        BenchRun.log("  " + changeId + " planned in " + Report.number(seconds) + " s");
        return seconds;
    }

    private static Stats copyBaseline(BenchRun run, BenchDatabase database, String changeId) throws Exception {
        try (Connection connection = database.connect(); var statement = connection.createStatement()) {
            statement.execute("drop table if exists reminder_copy");
            statement.execute("create table reminder_copy (like reminder including all)");
            statement.execute("alter table reminder_copy add foreign key (subscription_id) references subscription (id)"
                    + " on delete cascade");
            String rows = BenchDatabase.copyOut(connection, "select * from reminder where change_id = '" + changeId
                    + "'");
            return run.repeat(() -> {
                statement.execute("truncate reminder_copy");
                long start = System.nanoTime();
                BenchDatabase.copy(connection, "reminder_copy", rows);
                return (System.nanoTime() - start) / 1e9;
            });
        }
    }
}
