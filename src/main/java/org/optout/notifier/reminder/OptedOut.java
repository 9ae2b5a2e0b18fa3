package org.optout.notifier.reminder;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.ZoneOffset;

/**
 * A subscriber says they already opted out of one change: its remaining reminders and follow-ups stop, the others go
 * on, and the change is never planned for them again (the {@code opted_out} row), whatever they do later.
 */
@ApplicationScoped
public class OptedOut {

    private final EntityManager em;
    private final Clock clock;

    OptedOut(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    @Transactional
    public int stopReminders(long subscriptionId, String changeId) {
        em.createNativeQuery("insert into opted_out (subscription_id, change_id, opted_out_at) "
                + "select ?1, ?2, cast(?3 as timestamp with time zone) where not exists "
                + "(select 1 from opted_out o where o.subscription_id = ?1 and o.change_id = ?2)")
                .setParameter(1, subscriptionId).setParameter(2, changeId)
                .setParameter(3, clock.instant().atOffset(ZoneOffset.UTC)).executeUpdate();
        int cancelled = Reminder.update("status = ?1 where subscriptionId = ?2 and changeId = ?3 and status = ?4",
                ReminderStatus.CANCELLED, subscriptionId, changeId, ReminderStatus.PENDING);
        FollowUp.update("status = ?1 where subscriptionId = ?2 and changeId = ?3 and status = ?4",
                ReminderStatus.CANCELLED, subscriptionId, changeId, ReminderStatus.PENDING);
        Log.infof("Subscription %d opted out of %s: %d pending reminders cancelled", subscriptionId, changeId,
                cancelled);
        return cancelled;
    }
}
