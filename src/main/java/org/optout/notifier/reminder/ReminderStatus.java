package org.optout.notifier.reminder;

/** Where a reminder stands. */
public enum ReminderStatus {
    PENDING,
    SENT,
    FAILED,
    CANCELLED
}
