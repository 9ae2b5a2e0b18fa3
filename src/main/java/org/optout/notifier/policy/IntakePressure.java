package org.optout.notifier.policy;

import jakarta.enterprise.context.ApplicationScoped;
import org.optout.notifier.pressure.Pressure;

/**
 * Whether policy changes are arriving faster than the intake stores them: its polls come back full. Planning gives
 * way while they do ({@code ReminderPlanner}): per-process CPU of the ingest benchmark showed the planner's database
 * session taking 45 % of a core during a burst and the intake's 20 %.
 */
@ApplicationScoped
public class IntakePressure extends Pressure {

    /** A poll of the policy-change topic brought {@code records}, at most {@code maxRecords}. */
    public void polled(int records, int maxRecords) {
        if (records >= maxRecords) {
            felt();
        }
    }
}
