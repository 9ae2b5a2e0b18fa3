package org.optout.notifier.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.optout.notifier.inbox.ProcessedEvent.EventKey;
import org.optout.notifier.inbox.ProcessedEvents;
import org.optout.notifier.subscription.Subscription;

/**
 * What a batch of policy-change events needs to know from the database, asked once for the whole batch rather than
 * once per event: which events were processed, which changes are stored, and how many subscribers an audience has.
 * Kept up to date as the batch stores its own, so that the second revision of a change in one batch finds the first.
 */
final class IntakeBatch {

    private final ProcessedEvents processed;
    private final Map<String, PolicyChange> stored;
    private final Map<List<Set<String>>, Long> audiences = new HashMap<>();
    private int added;
    private int platformRows;
    private int countryRows;

    private IntakeBatch(ProcessedEvents processed, Map<String, PolicyChange> stored) {
        this.processed = processed;
        this.stored = stored;
    }

    /**
     * In the current transaction. Which changes are stored is asked in SQL with an array, and only those are read:
     * HQL's list parameter was translated again for every batch's length, and most changes of a batch are new.
     */
    @SuppressWarnings("unchecked")
    static IntakeBatch of(List<IncomingPolicyChange> events) {
        List<EventKey> keys = events.stream().map(event -> new EventKey(event.source(), event.id())).toList();
        String[] changeIds = events.stream().map(event -> event.data().changeId()).filter(Objects::nonNull)
                .distinct().toArray(String[]::new);
        List<String> storedIds = changeIds.length == 0 ? List.of() : PolicyChange.getEntityManager()
                .createNativeQuery("select change_id from policy_change where change_id = any(?1)")
                .setParameter(1, changeIds).getResultList();
        List<PolicyChange> changes = storedIds.isEmpty() ? List.of() : PolicyChange.list("changeId in ?1", storedIds);
        return new IntakeBatch(ProcessedEvents.among(keys),
                changes.stream().collect(Collectors.toMap(change -> change.changeId, change -> change,
                        (first, second) -> first, HashMap::new)));
    }

    ProcessedEvents processed() {
        return processed;
    }

    Optional<PolicyChange> stored(String changeId) {
        return Optional.ofNullable(stored.get(changeId));
    }

    void keep(PolicyChange change) {
        if (stored.put(change.changeId, change) == null) {
            added++;
        }
        platformRows += change.platforms.size();
        countryRows += change.countries.size();
    }

    /** How many changes the batch stored that were not stored before. */
    int added() {
        return added;
    }

    /** Rows the batch wrote to the changes' platforms. */
    int platformRows() {
        return platformRows;
    }

    /** Rows the batch wrote to the changes' countries. */
    int countryRows() {
        return countryRows;
    }

    /** Active subscribers matching the change; changes of one batch often share their audience. */
    long audience(ValidPolicyChange change) {
        return audiences.computeIfAbsent(List.of(change.countries(), change.platforms()),
                audience -> Subscription.countActiveMatching(change.countries(), change.platforms()));
    }
}
