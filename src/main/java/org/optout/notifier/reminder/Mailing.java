package org.optout.notifier.reminder;

import java.util.List;
import org.optout.notifier.delivery.FollowUpMailer;
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.subscription.Subscriber;

/**
 * What one mail carries: a subscriber's due reminders, or their follow-ups; with the subscriber's bounce count as
 * claimed, which the mail's result resets or raises.
 */
sealed interface Mailing {

    Subscriber subscriber();

    int bounces();

    List<? extends DueRow> rows();

    /** Due reminders, with their changes as they are now (in the same order). */
    record Reminders(Subscriber subscriber, int bounces, List<DueRow.ReminderRow> rows, List<PolicyChange> changes)
            implements Mailing {
    }

    record FollowUps(Subscriber subscriber, int bounces, List<DueRow.FollowUpRow> rows,
            List<FollowUpMailer.Item> items) implements Mailing {
    }
}
