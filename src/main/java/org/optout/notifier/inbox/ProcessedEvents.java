package org.optout.notifier.inbox;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.optout.notifier.inbox.ProcessedEvent.EventKey;

/**
 * The processed events among a batch's, looked up in one query, then kept up to date as the batch records its own:
 * a redelivered event is skipped, and so is the second copy of an event within one batch.
 */
public final class ProcessedEvents {

    private final Set<EventKey> processed;

    private ProcessedEvents(Set<EventKey> processed) {
        this.processed = processed;
    }

    /**
     * In the current transaction. By the whole key, the table's primary key (the table keeps every event ever
     * processed), in SQL with an array: a batch's events come from one source or a few, and HQL's list parameter
     * was translated again for every batch's length, a tenth of the consumer's time.
     */
    @SuppressWarnings("unchecked")
    public static ProcessedEvents among(Collection<EventKey> keys) {
        Set<EventKey> processed = new HashSet<>();
        Map<String, List<String>> bySource = keys.stream().collect(Collectors.groupingBy(key -> key.source,
                Collectors.mapping(key -> key.eventId, Collectors.toList())));
        bySource.forEach((source, ids) -> {
            List<String> found = ProcessedEvent.getEntityManager().createNativeQuery(
                    "select event_id from processed_event where source = ?1 and event_id = any(?2)")
                    .setParameter(1, source).setParameter(2, ids.toArray(String[]::new)).getResultList();
            found.forEach(id -> processed.add(new EventKey(source, id)));
        });
        return new ProcessedEvents(processed);
    }

    public boolean contains(EventKey key) {
        return processed.contains(key);
    }

    /** Records the event as processed in the current transaction, with its effect. */
    public void mark(EventKey key, Instant now) {
        ProcessedEvent event = new ProcessedEvent();
        event.key = key;
        event.processedAt = now;
        event.persist();
        processed.add(key);
    }
}
