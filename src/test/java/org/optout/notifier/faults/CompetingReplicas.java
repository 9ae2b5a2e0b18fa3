package org.optout.notifier.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.optout.notifier.benchmark.ServiceUnderTest;
import org.optout.notifier.infrastructure.PackagedApplication;

/**
 * Competing replicas: three instances on one PostgreSQL deliver N due reminders together. Each reminder reaches the
 * SMTP server exactly once; each instance's own count says they all took part.
 */
final class CompetingReplicas implements FaultScenario {

    static final int INSTANCES = 3;
    private static final Pattern SENT = Pattern.compile("^optout_reminders_sent_total(?:\\{[^}]*\\})? (\\S+)",
            Pattern.MULTILINE);

    @Override
    public String name() {
        return "replicas";
    }

    @Override
    public Finding run(FaultRun run) throws Exception {
        int count = run.size().replicaReminders();
        Finding finding = new Finding(name()).load(String.format("%,d reminders due", count))
                .faults(INSTANCES + " instances claiming the same rows");
        try (Stage stage = run.stage(name()); Mailbox mailbox = Mailbox.start(run.folder("replicas-mail"))) {
            List<ServiceUnderTest> instances = new ArrayList<>();
            try {
                for (int i = 1; i <= INSTANCES; i++) {
                    instances.add(run.start("replica-" + i, stage.environment(mailbox.port())));
                }
                Set<Long> due = DueReminders.prepare(run, stage, instances.get(0), count);
                instances.get(0).resumeSending();
                finding.check(run.await(() -> DueReminders.sent(stage.database()) == count),
                        "not all sent within " + run.size().limit());
                Mailbox.Tally tally = mailbox.tally();
                finding.lost(DueReminders.lost(due, tally, stage.database()))
                        .duplicates(tally.duplicateReminders(), 0, "");
                List<String> shares = new ArrayList<>();
                for (ServiceUnderTest instance : instances) {
                    shares.add(String.format("%,.0f", sent(instance)));
                }
                finding.note("sent per instance: " + String.join(" / ", shares));
            } finally {
                for (ServiceUnderTest instance : instances) {
                    instance.close();
                }
            }
        }
        return finding;
    }

    private static double sent(ServiceUnderTest instance) throws Exception {
        Matcher m = SENT.matcher(PackagedApplication.body(instance.application().managementUri("/q/metrics")));
        // An instance whose metrics have no such counter yet has sent none.
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
