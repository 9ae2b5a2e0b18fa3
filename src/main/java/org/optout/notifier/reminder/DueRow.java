package org.optout.notifier.reminder;

import java.time.Instant;

/**
 * A due reminder or follow-up as the dispatcher claims it: read from its row, not loaded as an entity (Hibernate's
 * loading, dirty checking and row-by-row updates were a third of the dispatcher's time); {@link BatchResults} writes
 * what became of it.
 */
sealed interface DueRow {

    String REMINDER_TABLE = "reminder";
    String FOLLOW_UP_TABLE = "follow_up";

    long id();

    long subscriptionId();

    String changeId();

    int attempts();

    Instant nextAttemptAt();

    String table();

    /** @param revision the change's revision the reminder was planned for (outcomes of a failure carry it) */
    record ReminderRow(long id, long subscriptionId, String changeId, int revision, int leadDay, boolean catchUp,
            int attempts, Instant nextAttemptAt) implements DueRow {

        @Override
        public String table() {
            return REMINDER_TABLE;
        }
    }

    /** @param calledOff the change was withdrawn ("no longer needed"), rather than moved */
    record FollowUpRow(long id, long subscriptionId, String changeId, boolean calledOff, int attempts,
            Instant nextAttemptAt, Instant createdAt) implements DueRow {

        @Override
        public String table() {
            return FOLLOW_UP_TABLE;
        }
    }
}
