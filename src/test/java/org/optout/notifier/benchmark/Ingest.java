package org.optout.notifier.benchmark;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.optout.notifier.policy.PolicyChangeConsumer;
import org.optout.notifier.subscription.SubscriptionRequestConsumer;

/**
 * Ingest: events consumed from Kafka and stored, on each of the service's two incoming channels: new policy changes
 * with a small audience (each matches the handful of Hong Kong subscribers among 50), and partner sign-ups on
 * {@code subscription-requests} (each a new address; the service then mails a confirmation to smtp-sink). An event is
 * stored when its {@code processed_event} row is visible: the service writes it in the transaction of the event's
 * effect (see {@link StoredWatch}). Two measurements per channel:
 * <ul>
 * <li>throughput: N events produced at once, events/s from before the first is produced until all are stored;</li>
 * <li>latency: events produced at a steady rate (100/s) for a while, each one's time from just before it is produced
 * until its row is seen; p50 and p99 over all events of a repetition. The rows are looked for every 5 ms, which adds
 * up to about 5 ms; the producer's {@code linger.ms} (5) is in it too, for the service and the baseline alike. Five
 * seconds at that rate go first, not counted (see {@link #STEADY_WARM_UP}).</li>
 * </ul>
 * Baseline: {@link IngestBaseline}, a bare KafkaConsumer storing the same rows with JDBC batches, fed the identical
 * records on a topic of its own and measured the same way, after the service has stopped.
 *
 * <p>Before each measurement the service's planning of the previous one's changes is called off and
 * {@code processed_event} (only the bookkeeping of events already handled) is emptied, so that every measurement
 * starts from a quiet service and the watch's queries stay small. Throughput runs per channel, not counted, until
 * three in a row are within a tenth of one another (at most {@link #WARM_UP_RUNS}), let the consumers join their groups and the JIT
 * compile the path first: after a warm-up of 100 events, the JFR of the first throughput run showed C2 compiling
 * Hibernate's and the driver's methods for 53 s of CPU, at a fifth of the machine throughout, and three repetitions
 * gave 945, 1,267 and 1,234 events/s: what was measured was the service's start on the cores left over, not the
 * steady service a burst meets.
 */
final class Ingest implements Scenario {

    static final String BASELINE = "bare KafkaConsumer + JDBC batches";
    /** Far enough ahead that nothing planned is due during the run. */
    private static final int DAYS_AHEAD = 60;
    private static final List<String> REGIONS = List.of("HK");
    private static final Duration STORE_LIMIT = Duration.ofMinutes(10);
    private static final int WARM_UP_RUNS = 12;
    private static final int QUIET_ATTEMPTS = 5;
    /** SQLSTATE of a transaction chosen as a deadlock's victim (PostgreSQL). */
    private static final String DEADLOCK = "40P01";
    /**
     * The steady rate for a while before its latency is measured, not counted: a consumer that stores a batch per poll
     * sees polls of one to a few records at 100 events/s, code paths the JIT had not compiled after the throughput
     * run's full polls; without it, part of what is measured was the compiler (a fifth of a core in the JFR).
     */
    private static final Duration STEADY_WARM_UP = Duration.ofSeconds(5);

    /** A channel of the service: its topic, the records published on it, and what the service does after storing. */
    enum Channel {
        CHANGES("policy changes", "change", PolicyChangeConsumer.CHANNEL, "planning_task") {
            @Override
            ProducerRecord<String, String> record(String name) throws Exception {
                return Events.change(name, LocalDate.now().plusDays(DAYS_AHEAD), REGIONS);
            }

            @Override
            String eventId(String name) {
                // Events.change gives the event the id of the change's first revision.
                return name + "-r1";
            }

            @Override
            IngestBaseline.Rows rows() {
                return new IngestBaseline.ChangeRows();
            }
        },
        // The confirmation mails of a repetition may still be going out during the next: the service mails them one at
        // a time whatever the backlog, so they load it as they did during the first, and waiting for 10,000 mails
        // between repetitions would take most of the run.
        SIGN_UPS("partner sign-ups", "sign-up", SubscriptionRequestConsumer.CHANNEL, null) {
            @Override
            ProducerRecord<String, String> record(String name) throws Exception {
                return Events.signUp(name, "bench-" + name + "@example.org", "HK");
            }

            @Override
            String eventId(String name) {
                return name;
            }

            @Override
            IngestBaseline.Rows rows() {
                return new IngestBaseline.SignUpRows();
            }
        };

        final String label;
        final String shortName;
        final String topic;
        /** The service's table of work that follows storing an event, called off between measurements, or null. */
        final String pendingWork;

        Channel(String label, String shortName, String topic, String pendingWork) {
            this.label = label;
            this.shortName = shortName;
            this.topic = topic;
            this.pendingWork = pendingWork;
        }

        /** The event named {@code name} (unique in the run), on the service's topic. */
        abstract ProducerRecord<String, String> record(String name) throws Exception;

        abstract String eventId(String name);

        abstract IngestBaseline.Rows rows();
    }

    /**
     * Where a measurement sends its events and where it sees them stored; {@code pendingWork} is the table of work
     * that follows storing (null: none), {@code alive} throws when whatever stores the events died.
     */
    private record Destination(String topic, String processedTable, String pendingWork, Runnable alive) {

        /** The record for this destination: identical key, value and headers, on its topic. */
        ProducerRecord<String, String> retarget(ProducerRecord<String, String> record) {
            return new ProducerRecord<>(topic, null, record.key(), record.value(), record.headers());
        }
    }

    /** The two figures of a latency repetition. */
    private record Latency(double p50, double p99) {
    }

    /** The readings of one channel for the service or the baseline. */
    private record Readings(Stats rate, Stats p50, Stats p99) {
    }

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public void run(BenchRun run) throws Exception {
        Size size = run.size();
        List<Readings> service = new ArrayList<>();
        List<Readings> baseline = new ArrayList<>();
        try (BenchDatabase database = run.freshDatabase(); SmtpSink sink = SmtpSink.start();
                Events events = new Events(run.kafka())) {
            var environment = ServiceUnderTest.environment(database.url(), run.kafka(), sink.port());
            Path jfr = run.folder("profiles").resolve("ingest.jfr");
            try (ServiceUnderTest app = ServiceUnderTest.start("ingest", environment, jfr)) {
                Audience.add(database, 0, 50);
                Runnable alive = () -> {
                    if (!ProcessHandle.of(app.application().pid()).map(ProcessHandle::isAlive).orElse(false)) {
                        throw new IllegalStateException("the service ended (see target/packaged-app)");
                    }
                };
                for (Channel channel : Channel.values()) {
                    BenchRun.log("Ingest, " + channel.label + ": the service");
                    Destination destination = new Destination(channel.topic, "processed_event",
                            channel.pendingWork, alive);
                    service.add(measure(run, database, events, channel, destination));
                }
            }
            run.profile("ingest", jfr);
            for (Channel channel : Channel.values()) {
                BenchRun.log("Ingest, " + channel.label + ": " + BASELINE);
                try (IngestBaseline bare = IngestBaseline.start(database, run.kafka(), "bench-baseline-"
                        + channel.topic, channel.rows())) {
                    Destination destination = new Destination("bench-baseline-" + channel.topic,
                            IngestBaseline.PREFIX + "processed_event", null, bare::check);
                    baseline.add(measure(run, database, events, channel, destination));
                }
            }
        }
        String events = String.format("%,d events", size.ingestEvents());
        String steady = size.latencyEventsPerSecond() + " events/s for " + size.latencyFor().toSeconds() + " s";
        String rate = size.latencyEventsPerSecond() + "/s";
        for (Channel channel : Channel.values()) {
            Readings s = service.get(channel.ordinal());
            Readings b = baseline.get(channel.ordinal());
            run.add(Figure.of(name(), events, channel.label + ": events/s until all stored", s.rate(), "events/s",
                    true).target(2000.0, null).against(BASELINE, b.rate()));
            run.add(Figure.of(name(), steady, channel.label + ": p50 produce-to-stored at " + rate, s.p50(), "ms",
                    false).against(BASELINE, b.p50()));
            run.add(Figure.of(name(), steady, channel.label + ": p99 produce-to-stored at " + rate, s.p99(), "ms",
                    false).target(200.0, null).against(BASELINE, b.p99()));
        }
    }

    /**
     * Warm-up, then the throughput and the latency repetitions of one channel at one destination. The event names
     * are the same for the service and the baseline (their tables are apart), so both get byte-identical records.
     */
    private Readings measure(BenchRun run, BenchDatabase database, Events events, Channel channel,
            Destination destination) throws Exception {
        String base = "ingest-" + channel.shortName + "-";
        int[] repetition = {0};
        BenchRun.warmUp(channel.label + " events/s", WARM_UP_RUNS, () -> {
            quiet(database, destination);
            return throughput(database, events, channel, destination, base + "warm-" + ++repetition[0] + "-",
                    run.size().ingestEvents());
        });
        repetition[0] = 0;
        Stats rate = run.repeat(() -> {
            quiet(database, destination);
            double perSecond = throughput(database, events, channel, destination,
                    base + "all-" + ++repetition[0] + "-", run.size().ingestEvents());
            BenchRun.log("  " + Report.number(perSecond) + " events/s");
            return perSecond;
        });
        List<Double> p50 = new ArrayList<>();
        quiet(database, destination);
        latency(database, events, channel, destination, base + "steady-warm-", run.size().latencyEventsPerSecond(),
                STEADY_WARM_UP);
        repetition[0] = 0;
        Stats p99 = run.repeat(() -> {
            quiet(database, destination);
            Latency latency = latency(database, events, channel, destination, base + "steady-" + ++repetition[0]
                    + "-", run.size().latencyEventsPerSecond(), run.size().latencyFor());
            BenchRun.log("  p50 " + Report.number(latency.p50()) + " ms, p99 " + Report.number(latency.p99())
                    + " ms");
            p50.add(latency.p50());
            return latency.p99();
        });
        return new Readings(rate, Stats.of(p50), p99);
    }

    /** Produces {@code count} events at once; events/s from before the first is produced until all are stored. */
    private static double throughput(BenchDatabase database, Events events, Channel channel, Destination destination,
            String prefix, int count) throws Exception {
        List<ProducerRecord<String, String>> records = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            records.add(destination.retarget(channel.record(prefix + i)));
        }
        long start = System.nanoTime();
        List<Future<RecordMetadata>> sent = new ArrayList<>(count);
        for (ProducerRecord<String, String> record : records) {
            sent.add(events.send(record));
        }
        events.flush();
        for (Future<RecordMetadata> future : sent) {
            future.get(30, TimeUnit.SECONDS);
        }
        double seconds = StoredWatch.awaitCount(database, destination.processedTable(), prefix, count, start,
                STORE_LIMIT, destination.alive());
        return count / seconds;
    }

    /**
     * Produces events at a steady {@code perSecond} for {@code duration}, each on its tick (sleeping until then, so
     * that a late tick does not shift the ones after it); the p50 and p99 of their produce-to-stored latencies.
     */
    private static Latency latency(BenchDatabase database, Events events, Channel channel, Destination destination,
            String prefix, int perSecond, Duration duration) throws Exception {
        int count = (int) (perSecond * duration.toSeconds());
        List<ProducerRecord<String, String>> records = new ArrayList<>(count);
        List<String> ids = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            records.add(destination.retarget(channel.record(prefix + i)));
            ids.add(channel.eventId(prefix + i));
        }
        long period = TimeUnit.SECONDS.toNanos(1) / perSecond;
        List<Double> latencies;
        try (StoredWatch watch = StoredWatch.start(database, destination.processedTable())) {
            long start = System.nanoTime();
            List<Future<RecordMetadata>> sent = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long tick = start + i * period;
                for (long wait = tick - System.nanoTime(); wait > 0; wait = tick - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                watch.sent(ids.get(i));
                sent.add(events.send(records.get(i)));
            }
            events.flush();
            for (Future<RecordMetadata> future : sent) {
                future.get(30, TimeUnit.SECONDS);
            }
            latencies = watch.awaitAll(STORE_LIMIT, destination.alive());
        }
        return new Latency(Stats.quantile(latencies, 0.5), Stats.quantile(latencies, 0.99));
    }

    /**
     * Calls off the planning the previous measurement left the service (the planner drops a change whose task is
     * gone) and empties the {@code processed_event} table the measurement watches, so that each measurement starts
     * from a quiet service. Waiting for the planning instead took longer than the measurements: at today's speed
     * the planner works off about 25 changes a second, and the reminders it writes would grow from one repetition to
     * the next. Planning is measured by the fan-out scenario.
     */
    private static void quiet(BenchDatabase database, Destination destination) throws Exception {
        if (destination.pendingWork() != null) {
            // The planner locks a group of tasks at a time, in its own order: the database may pick this delete as
            // a deadlock's victim, and then it goes again.
            for (int attempt = 1; ; attempt++) {
                try {
                    database.execute("delete from " + destination.pendingWork(), "truncate reminder");
                    break;
                } catch (SQLException e) {
                    if (attempt == QUIET_ATTEMPTS || !DEADLOCK.equals(e.getSQLState())) {
                        throw e;
                    }
                }
            }
        }
        database.execute("truncate " + destination.processedTable());
    }
}
