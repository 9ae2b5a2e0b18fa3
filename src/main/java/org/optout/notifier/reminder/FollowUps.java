package org.optout.notifier.reminder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.ZoneOffset;
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.policy.PolicyChangeStatus;

/**
 * Plans the follow-ups of a revision for the subscribers already reminded of the change: "no longer needed" when it
 * was cancelled, "the deadline moved" when its date is not the one their last mail announced. Set-based, like the
 * planning itself, and idempotent: re-running it for the same revision adds nothing.
 */
@ApplicationScoped
class FollowUps {

    private static final String REMINDED = """
            insert into follow_up (subscription_id, change_id, revision, kind, status, next_attempt_at, attempts,
                                   created_at)
            select distinct r.subscription_id, ?1, ?2, ?3, 'PENDING', cast(?4 as timestamp with time zone), 0,
                   cast(?4 as timestamp with time zone)
            from reminder r join subscription s on s.id = r.subscription_id
            where r.change_id = ?1 and r.status = 'SENT' and s.status = 'ACTIVE' %s
              and not exists (select 1 from opted_out o where o.subscription_id = r.subscription_id and o.change_id = ?1)
              and not exists (select 1 from follow_up f
                              where f.subscription_id = r.subscription_id and f.change_id = ?1 and f.revision = ?2)""";

    private final EntityManager em;
    private final Clock clock;

    FollowUps(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /**
     * In the caller's transaction. Follow-ups of earlier revisions not sent yet are superseded by this one.
     *
     * @return how many follow-ups were planned
     */
    int plan(PolicyChange change) {
        em.createNativeQuery("update follow_up set status = 'CANCELLED' "
                + "where change_id = ?1 and revision < ?2 and status = 'PENDING'")
                .setParameter(1, change.changeId).setParameter(2, change.revision).executeUpdate();
        boolean cancelled = change.status == PolicyChangeStatus.CANCELLED;
        var insert = em.createNativeQuery(REMINDED.formatted(cancelled ? "" : "and r.announced_effective <> ?5"))
                .setParameter(1, change.changeId)
                .setParameter(2, change.revision)
                .setParameter(3, (cancelled ? FollowUp.Kind.NO_LONGER_NEEDED : FollowUp.Kind.DEADLINE_MOVED).name())
                .setParameter(4, clock.instant().atOffset(ZoneOffset.UTC));
        if (!cancelled) {
            insert.setParameter(5, change.effectiveKey());
        }
        return insert.executeUpdate();
    }
}
