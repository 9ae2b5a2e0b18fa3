package org.optout.notifier.benchmark;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.optout.notifier.infrastructure.KafkaBroker;

/**
 * A single-node KRaft broker in a JVM of its own (the same broker code as the tests use), so that its work does not
 * hide inside the harness's or the service's process.
 */
final class Broker implements AutoCloseable {

    private final Process process;
    private final String bootstrapServers;

    private Broker(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    static Broker start(Path work) throws IOException, InterruptedException {
        Path ready = work.resolve("broker.ready");
        Files.deleteIfExists(ready);
        int port = Processes.freePort();
        Process process = Processes.java(Broker.class.getName(), List.of("-Xmx512m"),
                List.of(work.resolve("kafka").toString(), String.valueOf(port)), work.resolve("broker.log"));
        Processes.await(Duration.ofSeconds(90), "the Kafka broker (see " + work.resolve("broker.log") + ")", process,
                () -> Files.exists(ready));
        return new Broker(process, Files.readString(ready).strip());
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() throws InterruptedException {
        Processes.stop(process);
    }

    /** Runs the broker until the process is stopped; writes its address to {@code broker.ready} beside its logs. */
    public static void main(String[] args) throws Exception {
        Path logs = Path.of(args[0]);
        EmbeddedKafkaBroker broker = KafkaBroker.start(logs, Integer.parseInt(args[1]));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        Files.writeString(logs.resolveSibling("broker.ready"), broker.getAdvertisedListeners());
        Thread.currentThread().join();
    }
}
