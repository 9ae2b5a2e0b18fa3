package org.optout.notifier.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.optout.notifier.benchmark.ServiceUnderTest;

/**
 * Crash: N reminders due; the delivering process is killed (SIGKILL: no shutdown, as an OOM kill or a lost node) at two
 * random moments and started again. Nothing may be lost. A mail the relay accepted just before a kill, whose row was
 * not yet committed, is sent again after the restart: at most the mails of the batches in flight at each kill.
 */
final class Crash implements FaultScenario {

    static final int KILLS = 2;
    /**
     * Mails that may be with the relay and not yet recorded at a kill: those of the batches under way, one mail per
     * subscriber here (each has one reminder due), each batch recorded at its commit (the defaults: {@code
     * notifier.delivery.batch} 100 times {@code notifier.delivery.batches-in-flight} 2).
     */
    static final int IN_FLIGHT = 200;

    @Override
    public String name() {
        return "crash";
    }

    @Override
    public Finding run(FaultRun run) throws Exception {
        int count = run.size().crashReminders();
        Finding finding = new Finding(name()).load(String.format("%,d reminders due", count))
                .faults(KILLS + " SIGKILLs of the delivering process, each followed by a restart");
        try (Stage stage = run.stage(name()); Mailbox mailbox = Mailbox.start(run.folder("crash-mail"))) {
            ServiceUnderTest app = run.start("crash-0", stage.environment(mailbox.port()));
            try {
                Set<Long> due = DueReminders.prepare(run, stage, app, count);
                app.resumeSending();
                List<String> kills = new ArrayList<>();
                for (int kill = 1; kill <= KILLS; kill++) {
                    long at = (long) (count * run.between(kill == 1 ? 0.1 : 0.5, kill == 1 ? 0.4 : 0.8));
                    if (!run.await(() -> mailbox.accepted() >= at)) {
                        finding.check(false, "only " + mailbox.accepted() + " mails before kill " + kill);
                        return finding;
                    }
                    app.kill();
                    kills.add(String.format("at %,d mails", mailbox.accepted()));
                    app = run.start("crash-" + kill, stage.environment(mailbox.port()));
                }
                finding.note("killed " + String.join(" and ", kills));
                finding.check(run.await(() -> DueReminders.sent(stage.database()) == count),
                        "not all sent within " + run.size().limit());
                Mailbox.Tally tally = mailbox.tally();
                finding.lost(DueReminders.lost(due, tally, stage.database()))
                        .duplicates(tally.duplicateReminders(), (long) KILLS * IN_FLIGHT,
                                IN_FLIGHT + " in flight at each kill")
                        .note("duplicates by Message-ID " + tally.duplicateMessageIds());
            } finally {
                app.close();
            }
        }
        return finding;
    }
}
