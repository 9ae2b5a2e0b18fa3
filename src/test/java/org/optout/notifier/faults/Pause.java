package org.optout.notifier.faults;

import java.time.Duration;
import java.util.Set;
import org.optout.notifier.benchmark.ServiceUnderTest;

/**
 * Pause: N reminders due and going out in batches; the operator pauses sending at a random moment, in the middle of a
 * batch. A pause stops every mail that has not started: after the pause answers, the relay may receive only the mails
 * that were already with it (at most the instance's connections), and nothing more while sending stays paused. What
 * the pause held back goes out after the resume, each reminder once.
 */
final class Pause implements FaultScenario {

    /** The connections of one instance (the default {@code notifier.delivery.connections}). */
    static final int IN_FLIGHT = 8;
    /** Long enough for any mail already with the relay to be answered, and for a pause that did not hold to show. */
    private static final Duration HELD = Duration.ofSeconds(5);

    @Override
    public String name() {
        return "pause";
    }

    @Override
    public Finding run(FaultRun run) throws Exception {
        int count = run.size().crashReminders();
        Finding finding = new Finding(name()).load(String.format("%,d reminders due", count))
                .faults("sending paused for " + HELD.toSeconds() + " s in the middle of a batch, then resumed");
        try (Stage stage = run.stage(name()); Mailbox mailbox = Mailbox.start(run.folder("pause-mail"))) {
            try (ServiceUnderTest app = run.start("pause-0", stage.environment(mailbox.port()))) {
                Set<Long> due = DueReminders.prepare(run, stage, app, count);
                app.resumeSending();
                long at = (long) (count * run.between(0.2, 0.6));
                if (!run.await(() -> mailbox.accepted() >= at)) {
                    return finding.check(false, "only " + mailbox.accepted() + " mails before the pause");
                }
                app.pauseSending();
                long atPause = mailbox.accepted();
                Thread.sleep(HELD.toMillis());
                long afterPause = mailbox.accepted() - atPause;
                finding.note(String.format("paused at %,d mails; %d more reached the relay while paused", atPause,
                        afterPause));
                finding.check(afterPause <= IN_FLIGHT, afterPause + " mails reached the relay after the pause, more "
                        + "than the " + IN_FLIGHT + " that can have been with it");
                finding.check(DueReminders.sent(stage.database()) < count, "every reminder was sent despite the pause");
                app.resumeSending();
                finding.check(run.await(() -> DueReminders.sent(stage.database()) == count),
                        "not all sent within " + run.size().limit() + " of the resume");
                Mailbox.Tally tally = mailbox.tally();
                finding.lost(DueReminders.lost(due, tally, stage.database()))
                        .duplicates(tally.duplicateReminders(), 0, "a pause repeats nothing");
            }
        }
        return finding;
    }
}
