package org.optout.notifier.reminder;

import java.util.List;
import org.optout.notifier.delivery.FollowUpMailer;
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.subscription.Subscription;

/** What one mail carries: a subscriber's due reminders, or their follow-ups. */
sealed interface Mailing {

    Subscription subscription();

    List<? extends Delivery> rows();

    /** Due reminders, with their changes as they are now (in the same order). */
    record Reminders(Subscription subscription, List<Reminder> rows, List<PolicyChange> changes) implements Mailing {
    }

    record FollowUps(Subscription subscription, List<FollowUp> rows, List<FollowUpMailer.Item> items)
            implements Mailing {
    }
}
