package org.optout.notifier.reminder;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** A subscriber says they already opted out of one change: its remaining reminders stop, the others go on. */
@ApplicationScoped
public class OptedOut {

    @Transactional
    public int stopReminders(long subscriptionId, String changeId) {
        int cancelled = Reminder.update("status = ?1 where subscriptionId = ?2 and changeId = ?3 and status = ?4",
                ReminderStatus.CANCELLED, subscriptionId, changeId, ReminderStatus.PENDING);
        Log.infof("Subscription %d opted out of %s: %d pending reminders cancelled", subscriptionId, changeId,
                cancelled);
        return cancelled;
    }
}
