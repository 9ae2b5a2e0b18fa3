package org.optout.notifier.benchmark;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.optout.notifier.policy.PolicyChangeConsumer;
import org.optout.notifier.subscription.SubscriptionRequestConsumer;
import org.optout.notifier.infrastructure.KafkaBroker;

/**
 * A single-node KRaft broker in a JVM of its own (the same broker code as the tests use), so that its work does not
 * hide inside the harness's or the service's process.
 */
public final class Broker implements AutoCloseable {

    private final Path work;
    private final List<String> arguments;
    private Process process;
    private final String bootstrapServers;

    private Broker(Path work, List<String> arguments) throws IOException, InterruptedException {
        this.work = work;
        this.arguments = arguments;
        this.bootstrapServers = launch();
    }

    public static Broker start(Path work) throws IOException, InterruptedException {
        // A broker killed by an earlier run leaves its log folder behind, formatted for another cluster.
        Processes.deleteRecursively(work.resolve("kafka"));
        Broker broker = new Broker(work, List.of(work.resolve("kafka").toString(),
                String.valueOf(Processes.freePort()), String.valueOf(Processes.freePort()),
                org.apache.kafka.common.Uuid.randomUuid().toString()));
        broker.createServiceTopics();
        return broker;
    }

    private String launch() throws IOException, InterruptedException {
        Path ready = work.resolve("broker.ready");
        Files.deleteIfExists(ready);
        process = Processes.java(Broker.class.getName(),
                List.of("-Xmx512m", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager"), arguments,
                work.resolve("broker.log"));
        Processes.await(Duration.ofSeconds(90), "the Kafka broker (see " + work.resolve("broker.log") + ")", process,
                () -> Files.exists(ready));
        return Files.readString(ready).strip();
    }

    /** Kills the broker (SIGKILL, as a crash or an OOM kill would) and does not start it again. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Starts a killed broker again: same ports, cluster id and folder, so its topics and offsets are all there. */
    public void restart() throws IOException, InterruptedException {
        if (process.isAlive()) {
            kill();
        }
        launch();
    }

    /**
     * The service's incoming topics exist before it starts, as in a deployment: a consumer subscribed to a topic that
     * does not exist yet finds it only at its next metadata refresh, and the first events would wait for that.
     */
    private void createServiceTopics() throws InterruptedException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(PolicyChangeConsumer.CHANNEL, 3, (short) 1),
                    new NewTopic(SubscriptionRequestConsumer.CHANNEL, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not create the service's topics", e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() throws InterruptedException {
        Processes.stop(process);
    }

    /**
     * Runs the broker until the process is stopped; writes its address to {@code broker.ready} beside its logs.
     * Arguments: log folder, port, controller port, cluster id.
     */
    public static void main(String[] args) throws Exception {
        Path logs = Path.of(args[0]);
        EmbeddedKafkaBroker broker = KafkaBroker.start(logs, Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                args[3]);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        // Written aside and moved into place: the harness reads the file as soon as it exists, and once read it empty.
        Path written = Files.writeString(logs.resolveSibling("broker.ready.tmp"), broker.getAdvertisedListeners());
        Files.move(written, logs.resolveSibling("broker.ready"), StandardCopyOption.ATOMIC_MOVE);
        Thread.currentThread().join();
    }
}
