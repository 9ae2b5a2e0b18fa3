package org.optout.notifier.reminder;

import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.Session;
import org.optout.notifier.outcome.NotificationOutcomes;

/**
 * What a batch does to its rows and subscribers, and the outcomes it publishes, written together before the batch
 * commits: a JDBC batch for each kind of change, one round trip, where Hibernate loaded, dirty-checked and updated
 * entities (its bookkeeping cost more than the statements). Sent reminders, nearly all of a batch, take one statement
 * for all that showed the same revision and were sent within the same second ({@code sent_at} is kept to the second):
 * on the benchmark machine's PostgreSQL a one-row update cost 45 µs of server CPU even pipelined, one update of a
 * hundred rows 6 µs a row. Each row changes
 * once: a row failed at claim time is no longer due, and a second failure of it is not recorded.
 */
final class BatchResults {

    /** Reminders sent together: the second, and what their mail showed. */
    private record Sent(Instant second, int revision, String announcedEffective) {
    }

    /** Each statement (its {@code ?} values, then the row's id) with the values of every row it changes. */
    private final Map<String, List<Object[]>> changes = new LinkedHashMap<>();
    private final Map<Sent, List<Long>> sentReminders = new LinkedHashMap<>();
    private final Set<String> finished = new HashSet<>();
    private final Map<Long, Integer> bounces = new HashMap<>();
    private final List<NotificationOutcomes.Outcome> outcomes = new ArrayList<>();

    void cancelled(List<? extends DueRow> rows) {
        rows.forEach(row -> change(row, "status = 'CANCELLED'"));
    }

    /** @return whether the row was still open (a row fails once) */
    boolean failed(DueRow row, String reason) {
        return change(row, "status = 'FAILED', failure = ?, attempts = attempts + 1", reason);
    }

    void sent(DueRow.FollowUpRow row, Instant at) {
        change(row, "status = 'SENT', sent_at = ?, attempts = attempts + 1", at);
    }

    /** What the mail showed is kept with the reminder: a later revision compares its date with this one. */
    void sent(DueRow.ReminderRow row, Instant at, int revision, String announcedEffective) {
        if (finished.add(row.table() + row.id())) {
            sentReminders.computeIfAbsent(new Sent(at.truncatedTo(ChronoUnit.SECONDS), revision, announcedEffective),
                    sent -> new ArrayList<>()).add(row.id());
        }
    }

    void retryAt(DueRow row, Instant next, String reason) {
        change(row, "next_attempt_at = ?, failure = ?, attempts = attempts + 1", next, reason);
    }

    /** An accepted mail: the subscriber's address works. */
    void delivered(Mailing mailing) {
        if (mailing.bounces() != 0 || bounces.containsKey(mailing.subscriber().id())) {
            bounces.put(mailing.subscriber().id(), 0);
        }
    }

    /** @return the subscriber's bounces with this one */
    int bounced(Mailing mailing) {
        return bounces.merge(mailing.subscriber().id(), mailing.bounces() + 1, (was, claimed) -> was + 1);
    }

    void outcome(NotificationOutcomes.Outcome outcome) {
        outcomes.add(outcome);
    }

    List<NotificationOutcomes.Outcome> outcomes() {
        return outcomes;
    }

    void write(EntityManager em) {
        bounces.forEach((subscriber, count) -> changes.computeIfAbsent(
                "update subscription set bounces = ? where id = ?", sql -> new ArrayList<>())
                .add(new Object[] {count, subscriber}));
        em.unwrap(Session.class).doWork(connection -> {
            writeSentReminders(connection);
            for (Map.Entry<String, List<Object[]>> change : changes.entrySet()) {
                try (PreparedStatement update = connection.prepareStatement(change.getKey())) {
                    for (Object[] values : change.getValue()) {
                        for (int i = 0; i < values.length; i++) {
                            update.setObject(i + 1, values[i] instanceof Instant instant
                                    ? instant.atOffset(ZoneOffset.UTC) : values[i]);
                        }
                        update.addBatch();
                    }
                    update.executeBatch();
                }
            }
        });
    }

    private void writeSentReminders(Connection connection) throws SQLException {
        if (sentReminders.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement("update reminder set status = 'SENT', "
                + "sent_at = ?, attempts = attempts + 1, revision = ?, announced_effective = ? where id = any(?)")) {
            for (Map.Entry<Sent, List<Long>> sent : sentReminders.entrySet()) {
                update.setObject(1, sent.getKey().second().atOffset(ZoneOffset.UTC));
                update.setInt(2, sent.getKey().revision());
                update.setString(3, sent.getKey().announcedEffective());
                update.setArray(4, connection.createArrayOf("bigint", sent.getValue().toArray()));
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    private boolean change(DueRow row, String assignments, Object... values) {
        if (!finished.add(row.table() + row.id())) {
            return false;
        }
        Object[] withId = Arrays.copyOf(values, values.length + 1);
        withId[values.length] = row.id();
        changes.computeIfAbsent("update " + row.table() + " set " + assignments + " where id = ?",
                sql -> new ArrayList<>()).add(withId);
        return true;
    }
}
