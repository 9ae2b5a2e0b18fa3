package org.optout.notifier.reminder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.optout.notifier.policy.PolicyChange;

/**
 * The changes the batches mail about, as they are now. What a mail says of a change (title, dates, steps) changes only
 * with a new revision, so each batch asks only for the current revision and reads the change again when it moved:
 * reading the change with its platforms, countries and data for every batch was a twelfth of the dispatcher's time.
 * The changes kept are read-only copies from an earlier batch; the dispatcher only reads them.
 */
@ApplicationScoped
class MailedChanges {

    /** A handful of changes have reminders due at once. */
    private static final int KEPT = 64;

    private final EntityManager em;
    private final Map<String, PolicyChange> read = new ConcurrentHashMap<>();

    MailedChanges(EntityManager em) {
        this.em = em;
    }

    /** The change at its current revision, in the caller's transaction. */
    PolicyChange current(String changeId) {
        List<?> revision = em.createNativeQuery("select revision from policy_change where change_id = ?1")
                .setParameter(1, changeId).setFlushMode(FlushModeType.COMMIT).getResultList();
        if (revision.isEmpty()) {
            throw new IllegalStateException("Change " + changeId + " is due but not stored");
        }
        PolicyChange known = read.get(changeId);
        if (known != null && known.revision == ((Number) revision.get(0)).intValue()) {
            return known;
        }
        PolicyChange change = PolicyChange.findByChangeId(changeId).orElseThrow();
        if (read.size() >= KEPT) {
            // Changes long sent stay out of memory; the few being sent are read again once.
            read.clear();
        }
        read.put(changeId, change);
        return change;
    }
}
