package org.optout.notifier.reminder;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How many reminders of each change are pending, sent, failed or cancelled: counts only, nobody in them. */
public final class ReminderCounts {

    private ReminderCounts() {
    }

    public static Map<String, Map<ReminderStatus, Long>> byChange() {
        List<Object[]> rows = Reminder.getEntityManager().createQuery(
                "select r.changeId, r.status, count(r) from Reminder r group by r.changeId, r.status", Object[].class)
                .getResultList();
        Map<String, Map<ReminderStatus, Long>> counts = new HashMap<>();
        for (Object[] row : rows) {
            counts.computeIfAbsent((String) row[0], change -> zeroes()).put((ReminderStatus) row[1], (Long) row[2]);
        }
        return counts;
    }

    public static Map<ReminderStatus, Long> zeroes() {
        Map<ReminderStatus, Long> zeroes = new EnumMap<>(ReminderStatus.class);
        for (ReminderStatus status : ReminderStatus.values()) {
            zeroes.put(status, 0L);
        }
        return zeroes;
    }
}
