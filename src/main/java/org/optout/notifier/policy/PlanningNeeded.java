package org.optout.notifier.policy;

/** A planning task was recorded for this change (fired in the storing transaction; observe after success). */
public record PlanningNeeded(String changeId) {
}
