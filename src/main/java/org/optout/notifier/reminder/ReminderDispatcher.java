package org.optout.notifier.reminder;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.FlushModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.optout.notifier.config.NotifierConfig;
import org.optout.notifier.delivery.FollowUpMailer;
import org.optout.notifier.delivery.MailSender;
import org.optout.notifier.delivery.ReminderMailer;
import org.optout.notifier.outcome.NotificationOutcomes;
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.subscription.Subscriber;
import org.optout.notifier.subscription.SubscriptionStatus;
import org.optout.notifier.subscription.SuppressionList;

/**
 * Sends due reminders and follow-ups, a batch of subscribers per transaction: {@link DueSubscribers} claims them with
 * everything due for them, {@link ReminderMailer} and {@link FollowUpMailer} render one mail for each subscriber's
 * reminders (a digest when there are several) and one for their follow-ups, {@link MailSender} sends them over several
 * SMTP connections at once, and {@link DeliveryRecorder} records every result before the commit; a few batches are
 * under way at once. A crash between the SMTP server's acceptance and the commit can send the mails of the batches in
 * flight again (at-least-once at the SMTP boundary, each mail recognisable by its deterministic Message-ID); nothing is
 * lost. Nothing is sent at or after a change's deadline, judged by the clock as each mail starts, nor to a subscriber
 * who is no longer active or about a change they said they had opted out of, whatever was queued for them; a pause
 * stops every mail of the batch that has not started. A subscriber who stops while their mail is with the relay waits
 * for the batch: the stop needs the rows it holds.
 */
@ApplicationScoped
public class ReminderDispatcher {

    private final Clock clock;
    private final DueSubscribers due;
    private final MailedChanges mailedChanges;
    private final ReminderMailer reminderMailer;
    private final FollowUpMailer followUpMailer;
    private final MailSender sender;
    private final DeliveryRecorder recorder;
    private final NotificationOutcomes outcomes;
    private final SuppressionList suppressions;
    private final SendingSwitch sending;
    private final NotifierConfig.Delivery settings;
    private final ReentrantLock dispatching = new ReentrantLock();
    private final AtomicBoolean roundWaiting = new AtomicBoolean();
    private volatile boolean stopping;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            runnable -> new Thread(runnable, "reminder-dispatcher"));
    private final ExecutorService lanes = Executors.newCachedThreadPool(
            runnable -> new Thread(runnable, "reminder-dispatcher-lane"));

    ReminderDispatcher(Clock clock, DueSubscribers due, MailedChanges mailedChanges, ReminderMailer reminderMailer,
            FollowUpMailer followUpMailer, MailSender sender, DeliveryRecorder recorder, NotificationOutcomes outcomes,
            SuppressionList suppressions, SendingSwitch sending, NotifierConfig config) {
        this.clock = clock;
        this.due = due;
        this.mailedChanges = mailedChanges;
        this.reminderMailer = reminderMailer;
        this.followUpMailer = followUpMailer;
        this.sender = sender;
        this.recorder = recorder;
        this.outcomes = outcomes;
        this.suppressions = suppressions;
        this.sending = sending;
        this.settings = config.delivery();
    }

    @Scheduled(every = "${notifier.delivery.poll:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        // A round lasts as long as there is something due: polls meanwhile leave one round waiting, not one each.
        if (!roundWaiting.compareAndSet(false, true)) {
            return;
        }
        worker.execute(() -> {
            roundWaiting.set(false);
            if (stopping) {
                return;
            }
            try {
                dispatchDue();
            } catch (RuntimeException e) {
                if (stopping) {
                    Log.debugf("Dispatching stopped by the shutdown: %s", e.getClass().getName());
                } else {
                    Log.errorf("Dispatching reminders failed: %s", e.getClass().getName());
                }
            }
        });
    }

    /**
     * A round under way stops claiming: each lane finishes the batch it has, or loses it to the shutdown, and then the
     * next round of any instance sends it (at-least-once); either is no error.
     */
    void onShutdown(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @PreDestroy
    void stop() {
        stopping = true;
        worker.shutdown();
        lanes.shutdown();
    }

    /**
     * Sends everything due now; callers in one instance take turns. {@code notifier.delivery.batches-in-flight}
     * batches are under way at once, so that one claims, renders and records while another has the connections. Each
     * lane stops when a batch finds no subscriber (the due rows it could lock were none: what is left is another
     * lane's, or waits for its next attempt), or sending is paused; a batch short of subscribers goes on.
     *
     * @return how many subscribers this call handled (sent, deferred, failed or stopped)
     */
    public int dispatchDue() {
        dispatching.lock();
        try {
            List<CompletableFuture<Integer>> others = new ArrayList<>();
            for (int lane = 1; lane < settings.batchesInFlight(); lane++) {
                others.add(CompletableFuture.supplyAsync(this::batchesUntilDone, lanes));
            }
            int total = batchesUntilDone();
            for (CompletableFuture<Integer> other : others) {
                total += other.join();
            }
            outcomes.relay();
            return total;
        } finally {
            dispatching.unlock();
        }
    }

    private int batchesUntilDone() {
        int total = 0;
        int claimed;
        do {
            if (stopping || sending.pausedAsSeenLately()) {
                break;
            }
            try {
                claimed = QuarkusTransaction.requiringNew().timeout(transactionSeconds()).call(this::dispatchBatch);
            } catch (RuntimeException e) {
                if (!stopping) {
                    Log.warnf("A batch of reminders was not recorded, retried next round: %s", e.getClass().getName());
                }
                break;
            }
            total += claimed;
        } while (claimed > 0);
        return total;
    }

    /** @return how many subscribers the batch claimed */
    private int dispatchBatch() {
        // Nothing the batch reads after claiming depends on what it changed: without this every query of the batch
        // (suppressions, changes) would flush first.
        Reminder.getEntityManager().setFlushMode(FlushModeType.COMMIT);
        Instant now = clock.instant();
        long claiming = System.nanoTime();
        List<DueSubscribers.Claimed> claimed = due.claim(now, settings.batch());
        long rendering = System.nanoTime();
        List<MailSender.Outgoing<Mailing>> mails = new ArrayList<>();
        // A batch is mostly about a few changes: each is read once.
        Map<String, PolicyChange> changes = new HashMap<>();
        Function<String, PolicyChange> change = id -> changes.computeIfAbsent(id, mailedChanges::current);
        BatchResults results = new BatchResults();
        Set<String> suppressed = suppressions.blockingMailTo(claimed.stream().map(c -> c.subscriber().email())
                .toList());
        for (DueSubscribers.Claimed subscriber : claimed) {
            mails.addAll(mails(subscriber, suppressed.contains(subscriber.subscriber().email()), now, change,
                    results));
        }
        long sending = System.nanoTime();
        List<MailSender.Sent<Mailing>> sent = sender.send(mails, (mailing, at) -> stop(mailing, at, sending));
        long recording = System.nanoTime();
        recorder.record(sent, results);
        if (!mails.isEmpty()) {
            Log.infof("Batch of %d subscribers: %d mails accepted of %d (ms claiming %d, rendering %d, sending %d, "
                    + "recording %d)", claimed.size(), sent.stream().filter(MailSender.Sent::accepted).count(),
                    mails.size(), millis(claiming, rendering), millis(rendering, sending), millis(sending, recording),
                    millis(recording, System.nanoTime()));
        }
        return claimed.size();
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }

    /** The subscriber's mails; what must not go out is cancelled or failed here. */
    private List<MailSender.Outgoing<Mailing>> mails(DueSubscribers.Claimed claimed, boolean suppressed, Instant now,
            Function<String, PolicyChange> change, BatchResults results) {
        Subscriber subscriber = claimed.subscriber();
        // A planner that read the subscriber before they said "I have already opted out" may have queued more.
        List<DueRow.ReminderRow> reminders = withoutOptedOut(claimed.reminders(), claimed, results);
        List<DueRow.FollowUpRow> followUps = withoutOptedOut(claimed.followUps(), claimed, results);
        if (claimed.status() != SubscriptionStatus.ACTIVE) {
            // Whatever was queued (during a pause, by a revision racing the unsubscribe): nothing goes out.
            results.cancelled(reminders);
            results.cancelled(followUps);
            Log.infof("Subscription %d no longer active: %d reminders and %d follow-ups cancelled", subscriber.id(),
                    reminders.size(), followUps.size());
            return List.of();
        }
        if (suppressed) {
            recorder.suppressed(subscriber, reminders, followUps, results);
            return List.of();
        }
        List<MailSender.Outgoing<Mailing>> mails = new ArrayList<>(2);
        if (!reminders.isEmpty()) {
            Mailing.Reminders mailing = recorder.stillDue(new Mailing.Reminders(subscriber, claimed.bounces(),
                    reminders, reminders.stream().map(r -> change.apply(r.changeId())).toList()), now, results);
            if (!mailing.rows().isEmpty()) {
                List<ReminderMailer.Item> items = new ArrayList<>();
                for (int i = 0; i < mailing.rows().size(); i++) {
                    items.add(new ReminderMailer.Item(mailing.rows().get(i).id(), mailing.changes().get(i)));
                }
                mails.add(new MailSender.Outgoing<>(mailing, reminderMailer.message(subscriber, items)));
            }
        }
        if (!followUps.isEmpty()) {
            List<FollowUpMailer.Item> items = followUps.stream().map(f -> new FollowUpMailer.Item(f.id(),
                    change.apply(f.changeId()), f.calledOff())).toList();
            mails.add(new MailSender.Outgoing<>(new Mailing.FollowUps(subscriber, claimed.bounces(), followUps,
                    items), followUpMailer.message(subscriber, items)));
        }
        return mails;
    }

    /**
     * Asked as each mail is about to start: a pause stops it, a deadline that came while others were sent stops it,
     * and so does a batch that has run for a send timeout already (a stalling relay must not keep the batch's
     * transaction open for long); what is stopped goes out in a later batch.
     */
    private String stop(Mailing mailing, Instant now, long batchStarted) {
        if (sending.pausedLately()) {
            return "paused";
        }
        if (mailing instanceof Mailing.Reminders reminders && reminders.changes().stream()
                .anyMatch(change -> !now.isBefore(DeliveryRecorder.deadline(change, mailing.subscriber())))) {
            return "deadline-passed";
        }
        if (System.nanoTime() - batchStarted > settings.sendTimeout().toNanos()) {
            return "batch-time-up";
        }
        return null;
    }

    /** The batch may start mails for one send timeout, and the last may take another; then the commit. */
    private int transactionSeconds() {
        return (int) settings.sendTimeout().multipliedBy(2).plus(Duration.ofSeconds(60)).toSeconds();
    }

    private static <T extends DueRow> List<T> withoutOptedOut(List<T> rows, DueSubscribers.Claimed claimed,
            BatchResults results) {
        if (claimed.optedOut().isEmpty()) {
            return rows;
        }
        results.cancelled(rows.stream().filter(row -> claimed.optedOut().contains(row.changeId())).toList());
        return rows.stream().filter(row -> !claimed.optedOut().contains(row.changeId())).toList();
    }
}
