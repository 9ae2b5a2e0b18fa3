package org.optout.notifier.policy;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Whether policy changes are arriving faster than the intake stores them: its polls come back full. Planning gives
 * way while they do ({@code ReminderPlanner}): on two cores the planner and its database session took as much of the
 * machine as the intake during a burst (per-process CPU of the ingest benchmark: 45 % of a core for the planner's
 * session, 20 % for the intake's), and a reminder planned a few seconds later is still days ahead of its deadline.
 */
@ApplicationScoped
public class IntakePressure {

    /** A poll a little slower than the intake's own batches still counts as the same burst. */
    static final Duration BURST_GAP = Duration.ofMillis(250);

    private volatile long lastFullPoll = System.nanoTime() - BURST_GAP.toNanos();

    /** A poll of the policy-change topic brought {@code records}, at most {@code maxRecords}. */
    public void polled(int records, int maxRecords) {
        if (records >= maxRecords) {
            lastFullPoll = System.nanoTime();
        }
    }

    /** The last full poll is less than {@link #BURST_GAP} ago. */
    public boolean high() {
        return System.nanoTime() - lastFullPoll < BURST_GAP.toNanos();
    }
}
