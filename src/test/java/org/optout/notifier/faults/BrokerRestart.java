package org.optout.notifier.faults;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.optout.notifier.benchmark.ServiceUnderTest;

/**
 * Broker restart: while policy changes and sign-ups are published at a steady pace, the broker is killed (SIGKILL)
 * and started again after a while on the same ports and data, as a crashed broker pod comes back with its volume.
 * Every event takes effect once: each change stored with one revision, each sign-up answered by one mail; none
 * dead-lettered; the service carries on without a restart.
 */
final class BrokerRestart implements FaultScenario {

    @Override
    public String name() {
        return "broker-restart";
    }

    @Override
    public Finding run(FaultRun run) throws Exception {
        int events = run.size().brokerEvents();
        Duration down = run.size().brokerDown();
        Finding finding = new Finding(name()).load(String.format("%,d policy changes and sign-ups published",
                events)).faults("broker killed, down " + down.toSeconds() + " s, started again");
        try (Stage stage = run.stage(name()); Mailbox mailbox = Mailbox.start(run.folder("broker-mail"))) {
            try (ServiceUnderTest app = run.start("broker", stage.environment(mailbox.port()));
                    Publisher publisher = new Publisher(stage.topics().bootstrapServers());
                    HealthWatch health = new HealthWatch(app.application())) {
                Intake intake = new Intake("broker", stage);
                // About 100 events a second: the restart falls in the middle of a stream, not at a quiet moment.
                long pause = 10;
                int killAt = (int) (events * run.between(0.3, 0.5));
                CompletableFuture<Void> restarted = null;
                for (int i = 0; i < events; i++) {
                    if (i % 2 == 0) {
                        intake.change(publisher);
                    } else {
                        intake.signUp(publisher);
                    }
                    if (i == killAt) {
                        run.broker().kill();
                        finding.note(String.format("killed after %,d events", i + 1));
                        restarted = restartLater(run, down);
                    }
                    Thread.sleep(pause);
                }
                restarted.get();
                publisher.flush();
                finding.check(run.await(() -> intake.processed(mailbox)), "not all processed within "
                        + run.size().limit());
                Mailbox.Tally tally = mailbox.tally();
                long unacknowledged = intake.unacknowledged();
                finding.lost(intake.lost(tally) + unacknowledged)
                        .duplicates(intake.doubled(tally), 0, "")
                        .check(app.application().isAlive(), "the process ended")
                        .note("liveness failures while the broker was down: " + health.livenessFailures());
                DeadLetterCheck.none(finding, stage);
            }
        }
        return finding;
    }

    /** Starts the broker again after {@code down}, while the publisher goes on producing into its buffer. */
    private static CompletableFuture<Void> restartLater(FaultRun run, Duration down) {
        return CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(down.toMillis());
                run.broker().restart();
                FaultSuite.log("  broker started again");
            } catch (Exception e) {
                throw new IllegalStateException("the broker did not start again", e);
            }
        });
    }
}
