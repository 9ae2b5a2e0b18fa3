package org.optout.notifier.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.optout.notifier.benchmark.peer.PeerLauncher;

/**
 * The JVM of the db-scheduler peer ({@code peer.DbSchedulerPeer}) with the service's memory budget, for one measurement:
 * booted first, then started through files next to its ready file (the harness creates {@code .go}; the peer answers
 * with the ready file when its scheduler starts and with {@code .done} at the end), so that its boot is not measured.
 */
final class SchedulerPeer implements AutoCloseable {

    private static final String WHAT = "the db-scheduler peer (see target/bench/logs/db-scheduler-peer.log)";

    private final Process process;
    private final Path ready;
    private boolean done;

    private SchedulerPeer(Process process, Path ready) {
        this.process = process;
        this.ready = ready;
    }

    /** Starts the peer's JVM; it sends to {@code sink} with {@code threads} threads, at most {@code limit} a round. */
    static SchedulerPeer boot(BenchRun run, BenchDatabase database, SmtpSink sink, int threads, Duration limit)
            throws IOException {
        Path ready = run.folder("peer").resolve("peer.ready");
        for (String suffix : List.of("", ".go", ".done", ".booted")) {
            Files.deleteIfExists(sibling(ready, suffix));
        }
        Process process = Processes.java(PeerLauncher.class.getName(),
                List.of("-XX:MaxRAM=" + ServiceUnderTest.MEMORY_BUDGET,
                        "-Djava.util.logging.manager=org.jboss.logmanager.LogManager"),
                List.of(), Map.of("PEER_DB_URL", database.url(), "PEER_SMTP_PORT", String.valueOf(sink.port()),
                        "PEER_THREADS", String.valueOf(threads), "PEER_LIMIT_SECONDS",
                        String.valueOf(limit.toSeconds()), "PEER_READY_FILE", ready.toAbsolutePath().toString()),
                run.folder("logs").resolve("db-scheduler-peer.log"));
        return new SchedulerPeer(process, ready);
    }

    /** Waits until the peer has booted and idles, so that its start is not measured. */
    void awaitBooted() throws InterruptedException {
        Processes.await(Duration.ofMinutes(5), WHAT, process, () -> Files.exists(sibling(ready, ".booted")));
    }

    /** The measurement: the peer schedules every due reminder and sends them, watched on {@code sink}. */
    SinkWatch round(SmtpSink sink, int mails, Duration limit) throws IOException, InterruptedException {
        Files.deleteIfExists(ready);
        Files.deleteIfExists(sibling(ready, ".done"));
        Files.createFile(sibling(ready, ".go"));
        Processes.await(Duration.ofMinutes(5), WHAT, process, () -> Files.exists(ready));
        SinkWatch watch = new SinkWatch(sink).await(mails, limit, process.toHandle());
        Processes.await(Duration.ofMinutes(1), WHAT, process, () -> Files.exists(sibling(ready, ".done")));
        done = true;
        return watch;
    }

    private static Path sibling(Path ready, String suffix) {
        return ready.resolveSibling(ready.getFileName() + suffix);
    }

    /** After its measurement the peer ends by itself; before that (a failed measurement) it is stopped. */
    @Override
    public void close() throws InterruptedException {
        if (!done) {
            process.destroyForcibly().waitFor();
        } else if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(WHAT + " did not end well");
        }
    }
}
