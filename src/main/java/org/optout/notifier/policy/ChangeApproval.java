package org.optout.notifier.policy;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.optout.notifier.problem.ConflictProblem;
import org.optout.notifier.problem.NotFoundProblem;

/**
 * The approval gate: a revision whose audience exceeds {@code notifier.policy.approval-threshold} waits here until an
 * operator has looked at it, so that a publisher's mistake (a region too wide) cannot mail a million people at once.
 */
@ApplicationScoped
public class ChangeApproval {

    private final Event<PlanningNeeded> planningNeeded;

    ChangeApproval(Event<PlanningNeeded> planningNeeded) {
        this.planningNeeded = planningNeeded;
    }

    /**
     * Lets the held revision be planned; its planning task was kept while it waited. The operator names the revision
     * they looked at, so that a revision arriving meanwhile (with another audience) is not approved unseen.
     */
    @Transactional
    public void approve(String changeId, int revision) {
        PolicyChange change = PolicyChange.<PolicyChange>find("changeId", changeId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional()
                .orElseThrow(() -> new NotFoundProblem("No policy change " + changeId + "."));
        if (!change.awaitingApproval) {
            throw new ConflictProblem("Policy change " + changeId + " is not waiting for approval.");
        }
        if (change.revision != revision) {
            throw new ConflictProblem("Policy change " + changeId + " is at revision " + change.revision
                    + ", not " + revision + ": look at its audience again.");
        }
        change.awaitingApproval = false;
        planningNeeded.fire(new PlanningNeeded(changeId));
        Log.infof("Policy change %s revision %d approved for %d subscribers", changeId, change.revision,
                change.audience);
    }

    public static long awaiting() {
        return PolicyChange.count("awaitingApproval", true);
    }
}
