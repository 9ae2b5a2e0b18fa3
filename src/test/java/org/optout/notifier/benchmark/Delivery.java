package org.optout.notifier.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;

/**
 * Delivery: N reminders due at once, one per subscriber, with the real templates, languages and {@code .ics}, sent by
 * the service's own dispatcher to smtp-sink; the sustained mails/s over the steady part of the run, which stops at N
 * mails or at the size's time limit. Baselines on the same mails: (a) {@link BareSmtpClient} sending byte-identical,
 * pre-rendered messages (captured from the service) over the same number of connections, the JVM's limit;
 * (b) postfix's {@code smtp-source} with as many sessions, the machine's limit; (c) the same reminders as one-time
 * tasks in db-scheduler, the peer a team would pick instead.
 */
final class Delivery implements Scenario {

    /**
     * Connections the service sends over (its {@code notifier.delivery.connections}, default 8), and so the bare
     * client's connections, smtp-source's sessions and the peer's threads.
     */
    static final int CONNECTIONS = Integer.getInteger("bench.smtp-connections", 8);
    private static final String CHANGE = "bench-delivery";
    private static final int CAPTURED = 200;

    @Override
    public String name() {
        return "delivery";
    }

    @Override
    public void run(BenchRun run) throws Exception {
        int mails = run.size().deliveryMails();
        Duration limit = run.size().deliveryLimit();
        String size = String.format("%,d due", mails);
        Chart chart = run.chart("delivery", "Delivery: mails/s accepted by smtp-sink", "seconds", "mails/s", false);
        try (BenchDatabase database = run.freshDatabase()) {
            List<byte[]> messages = capture(run, database, mails);
            Path jfr = run.folder("profiles").resolve("delivery.jfr");
            Stats service;
            double resident;
            // A check of the command boots the peer meanwhile: its boot is most of the scenario's time.
            try (SmtpSink baselineSink = SmtpSink.start(); SchedulerPeer booting = run.size().checkOnly()
                    ? SchedulerPeer.boot(run, database, baselineSink, CONNECTIONS, limit) : null) {
                try (SmtpSink sink = SmtpSink.start(); ServiceUnderTest app = ServiceUnderTest.start("delivery",
                        withConnections(ServiceUnderTest.environment(database.url(), run.kafka(), sink.port())), jfr)) {
                    service = measure(run, database, app, sink, chart);
                    resident = app.residentMiB();
                }
                run.profile("delivery", jfr);
                baselines(run, database, baselineSink, messages, chart, size, service, booting);
            }
            run.add(Figure.of("start-up", "after delivery", "RSS after the delivery run", Stats.of(List.of(resident)),
                    "MiB", false));
        }
    }

    /**
     * Half as many mails again first, not counted: the figures are of a service whose JIT has warmed up, and on two
     * cores its compilers take tens of seconds of sending (1,000 mails left the whole measured run warming up). Then
     * the repetitions.
     */
    private static Stats measure(BenchRun run, BenchDatabase database, ServiceUnderTest app, SmtpSink sink,
            Chart chart) throws Exception {
        int mails = run.size().deliveryMails();
        Duration limit = run.size().deliveryLimit();
        makeDue(database);
        app.resumeSending();
        int warmUp = Integer.getInteger("bench.delivery.warm-up", Math.max(1, mails / 2));
        new SinkWatch(sink).await(warmUp, limit, null);
        app.pauseSending();
        return run.repeat(() -> {
            makeDue(database);
            app.resumeSending();
            SinkWatch watch = new SinkWatch(sink).await(mails, limit, null);
            app.pauseSending();
            BenchRun.log("  service: " + watch.received() + " mails, " + Report.number(watch.steadyRate())
                    + " mails/s");
            plotOnce(chart, watch, "optout-notifier");
            return watch.steadyRate();
        });
    }

    private void baselines(BenchRun run, BenchDatabase database, SmtpSink sink, List<byte[]> messages, Chart chart,
            String size, Stats service, SchedulerPeer booting) throws Exception {
        int mails = run.size().deliveryMails();
        Duration limit = run.size().deliveryLimit();
        BareSmtpClient bare = new BareSmtpClient(sink.port(), messages);
        Stats jvm = run.repeat(() -> {
            SinkWatch watch = new SinkWatch(sink);
            Thread sender = new Thread(() -> {
                try {
                    bare.send(mails, CONNECTIONS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            sender.start();
            watch.await(mails, limit, null);
            sender.join();
            plotOnce(chart, watch, "bare Java SMTP client");
            return watch.steadyRate();
        });
        Stats machine = smtpSource(run, sink, messages, mails, limit, chart);
        Stats scheduler = dbScheduler(run, database, sink, chart, booting);
        String connections = CONNECTIONS + (CONNECTIONS == 1 ? " connection" : " connections");
        Figure figure = Figure.of(name(), size, "sustained mails/s (" + connections + ")", service, "mails/s", true)
                .target(1000.0, 0.5);
        run.add(figure.against("bare Java SMTP client, pre-rendered", jvm));
        run.add(figure.target(null, null).against("smtp-source (postfix)", machine));
        run.add(figure.target(null, 1.0).against("db-scheduler peer (" + CONNECTIONS + " thread"
                + (CONNECTIONS == 1 ? ")" : "s)"), scheduler));
    }

    /**
     * The audience and the change, planned by the service through Kafka; then a sample of the reminders sent once to
     * a sink that keeps them, for the baselines to send the very same bytes. A start of its own: a sink in the place
     * of another on the same port would leave the service a pooled connection that waits out the send timeout.
     */
    private static List<byte[]> capture(BenchRun run, BenchDatabase database, int mails) throws Exception {
        Path captured = run.folder("delivery-capture");
        Processes.deleteRecursively(captured);
        try (SmtpSink keeping = SmtpSink.start(captured); Events events = new Events(run.kafka());
                ServiceUnderTest app = ServiceUnderTest.start("delivery-capture",
                        ServiceUnderTest.environment(database.url(), run.kafka(), keeping.port()), null)) {
            app.pauseSending();
            Audience.add(database, 0, mails);
            events.send(Events.change(CHANGE, LocalDate.now().plusDays(30), FanOut.REGIONS)).get();
            while (database.count("select count(*) from policy_change where change_id = ?", CHANGE) == 0
                    || database.count("select count(*) from planning_task", new Object[0]) > 0) {
                Thread.sleep(100);
            }
            int sample = Math.min(CAPTURED, mails);
            database.execute("update reminder set due_at = now(), next_attempt_at = now() where lead_day = 7 "
                    + "and subscription_id <= " + sample);
            app.resumeSending();
            new SinkWatch(keeping).await(sample, Duration.ofMinutes(2), null);
            app.pauseSending();
        }
        List<byte[]> messages = SmtpSink.dumped(captured);
        if (messages.isEmpty()) {
            throw new IllegalStateException("the service sent no reminder to capture");
        }
        return messages;
    }

    private static java.util.Map<String, String> withConnections(java.util.Map<String, String> environment) {
        environment.put("NOTIFIER_DELIVERY_CONNECTIONS", String.valueOf(CONNECTIONS));
        return environment;
    }

    /** The first repetition of each sender goes on the chart. */
    private static void plotOnce(Chart chart, SinkWatch watch, String series) {
        if (!chart.has(series)) {
            watch.plot(chart, series);
        }
    }

    /** Every first reminder due now and unsent, as if the service had never sent one. */
    private static void makeDue(BenchDatabase database) throws Exception {
        database.execute("update reminder set status = 'PENDING', attempts = 0, failure = null, sent_at = null, "
                + "announced_effective = null, due_at = now(), next_attempt_at = now() where lead_day = 7",
                "truncate outbox_event");
    }

    /**
     * The same reminders as db-scheduler one-time tasks, timed from the scheduler's start; a JVM of its own for each
     * repetition, booted before the clock starts (one JVM for all of them ran out of heap in its second round); the
     * first may have been booted already ({@code booting}, or null).
     */
    private static Stats dbScheduler(BenchRun run, BenchDatabase database, SmtpSink sink, Chart chart,
            SchedulerPeer booting) throws Exception {
        SchedulerPeer[] booted = {booting};
        return run.repeat(() -> {
            makeDue(database);
            SinkWatch watch;
            try (SchedulerPeer peer = booted[0] != null ? booted[0] : SchedulerPeer.boot(run, database, sink,
                    CONNECTIONS, run.size().deliveryLimit())) {
                booted[0] = null;
                peer.awaitBooted();
                watch = peer.round(sink, run.size().deliveryMails(), run.size().deliveryLimit());
            }
            BenchRun.log("  db-scheduler: " + watch.received() + " mails, " + Report.number(watch.steadyRate())
                    + " mails/s");
            plotOnce(chart, watch, "db-scheduler peer");
            return watch.steadyRate();
        });
    }

    private static Stats smtpSource(BenchRun run, SmtpSink sink, List<byte[]> messages, int mails, Duration limit,
            Chart chart) throws Exception {
        Path message = run.folder("delivery-capture").resolveSibling("smtp-source-message.eml");
        // The message of median size stands for all: smtp-source sends one file.
        byte[] median = messages.stream().sorted(Comparator.comparingInt(m -> m.length)).toList()
                .get(messages.size() / 2);
        // smtp-source reads the file line by line and ends each line with CRLF itself.
        Files.writeString(message, new String(median, java.nio.charset.StandardCharsets.UTF_8).replace("\r\n", "\n"));
        return run.repeat(() -> {
            SinkWatch watch = new SinkWatch(sink);
            Process source = Processes.start(List.of("smtp-source", "-s", String.valueOf(CONNECTIONS), "-d", "-m",
                    String.valueOf(mails), "-F", message.toString(), "-f", "noreply@optout.example.org", "-t",
                    "bench@example.org", "127.0.0.1:" + sink.port()), run.folder("logs").resolve("smtp-source.log"));
            watch.await(mails, limit, source.toHandle());
            source.waitFor();
            plotOnce(chart, watch, "smtp-source");
            return watch.steadyRate();
        });
    }
}
