package org.optout.notifier.faults;

import java.time.Duration;
import org.optout.notifier.benchmark.ServiceUnderTest;
import org.optout.notifier.infrastructure.CuttableProxy;

/**
 * Database outage: the service reaches PostgreSQL through a proxy that the suite cuts (open connections dropped, new
 * ones refused, as a stopped database or a lost network does; the machine's server itself is never touched) for the
 * size's duration, while policy changes and sign-ups are published. Afterwards every one is processed once, none is
 * dead-lettered, the process was never restarted (liveness 200 throughout) and readiness went DOWN, then UP.
 */
final class DatabaseOutage implements FaultScenario {

    private static final int POSTGRESQL_PORT = Integer.getInteger("faults.postgresql-port", 5432);

    @Override
    public String name() {
        return "database-outage";
    }

    @Override
    public Finding run(FaultRun run) throws Exception {
        int events = run.size().outageEvents();
        Duration outage = run.size().outage();
        Finding finding = new Finding(name()).load(String.format("%,d policy changes and %,d sign-ups published "
                + "during the outage", events, events))
                .faults("PostgreSQL unreachable for " + outage.toSeconds() + " s");
        try (Stage stage = run.stage(name()); Mailbox mailbox = Mailbox.start(run.folder("outage-mail"));
                CuttableProxy proxy = new CuttableProxy(POSTGRESQL_PORT)) {
            String url = stage.database().url().replace(":" + POSTGRESQL_PORT + "/", ":" + proxy.port() + "/");
            try (ServiceUnderTest app = run.start("outage", stage.environment(url, mailbox.port()));
                    Publisher publisher = new Publisher(stage.topics().bootstrapServers());
                    HealthWatch health = new HealthWatch(app.application())) {
                Intake before = new Intake("before", stage);
                before.change(publisher);
                before.signUp(publisher);
                finding.check(run.await(() -> before.processed(mailbox)), "the first events were not processed");
                proxy.cut();
                long cut = System.nanoTime();
                Intake during = new Intake("outage", stage);
                for (int i = 0; i < events; i++) {
                    during.change(publisher);
                    during.signUp(publisher);
                    // Spread over the first four fifths of the outage: some wait minutes, some seconds.
                    Thread.sleep(outage.toMillis() * 4 / 5 / events);
                }
                Thread.sleep(Math.max(0, outage.toMillis() - (System.nanoTime() - cut) / 1_000_000));
                proxy.restore();
                long restored = System.nanoTime();
                boolean processed = run.await(() -> during.processed(mailbox));
                finding.check(processed, "not all processed within " + run.size().limit() + " of the recovery");
                finding.note(String.format("all processed %d s after the database came back",
                        Duration.ofNanos(System.nanoTime() - restored).toSeconds()));
                finding.check(FaultRun.await(Duration.ofMinutes(1), () -> health.lastReadiness() == 200),
                        "readiness not UP again");
                Mailbox.Tally tally = mailbox.tally();
                finding.lost(during.lost(tally) + during.unacknowledged())
                        .duplicates(during.doubled(tally), 0, "")
                        .check(health.wasNotReady(), "readiness never went DOWN")
                        .check(health.livenessFailures() == 0, health.livenessFailures()
                                + " liveness failures: Kubernetes would have restarted the pod")
                        .check(app.application().isAlive(), "the process ended");
                DeadLetterCheck.none(finding, stage);
            }
        }
        return finding;
    }
}
