package org.optout.notifier.policy;

/** Whether a change is going ahead, or was called off by its publisher. */
public enum PolicyChangeStatus {
    ACTIVE,
    CANCELLED
}
