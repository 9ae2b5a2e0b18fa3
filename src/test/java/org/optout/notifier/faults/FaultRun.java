package org.optout.notifier.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.optout.notifier.benchmark.Broker;
import org.optout.notifier.benchmark.ServiceUnderTest;

/** What the scenarios of one run share: the size, the broker, the work folder and the random moments of faults. */
final class FaultRun {

    private final FaultSize size;
    private final Broker broker;
    private final Path work;
    private final long seed;
    private final SplittableRandom random;

    FaultRun(FaultSize size, Broker broker, Path work, long seed) {
        this.size = size;
        this.broker = broker;
        this.work = work;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    FaultSize size() {
        return size;
    }

    Broker broker() {
        return broker;
    }

    long seed() {
        return seed;
    }

    /** A number in [from, to), from the run's seed (printed, and given again with -Dfaults.seed to replay a run). */
    double between(double from, double to) {
        return from + random.nextDouble() * (to - from);
    }

    Path folder(String name) throws java.io.IOException {
        return Files.createDirectories(work.resolve(name));
    }

    Stage stage(String name) throws Exception {
        return Stage.create(name, new Topics(broker.bootstrapServers()));
    }

    /** Starts an instance of the packaged service and waits until it is ready. */
    ServiceUnderTest start(String name, Map<String, String> environment) throws Exception {
        Map<String, String> paced = new HashMap<>(environment);
        if (size.sendPace() > 0) {
            paced.put("NOTIFIER_DELIVERY_MAX_MAILS_PER_SECOND", String.valueOf(size.sendPace()));
        }
        return ServiceUnderTest.start("faults-" + name, paced, null);
    }

    /** Waits until {@code done}, checking twice a second, at most the size's limit; whether it came. */
    boolean await(Condition done) throws Exception {
        return await(size.limit(), done);
    }

    static boolean await(Duration limit, Condition done) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.holds()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(500);
        }
        return true;
    }

    /** Something the suite waits for: a count in the database, a number of mails. */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }
}
