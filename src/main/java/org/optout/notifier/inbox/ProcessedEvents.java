package org.optout.notifier.inbox;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
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

    /** In the current transaction. */
    public static ProcessedEvents among(Collection<EventKey> keys) {
        if (keys.isEmpty()) {
            return new ProcessedEvents(new HashSet<>());
        }
        // By the whole key, the table's primary key: the table keeps every event ever processed.
        List<ProcessedEvent> found = ProcessedEvent.list("key in ?1", Set.copyOf(keys));
        return new ProcessedEvents(found.stream().map(event -> event.key)
                .collect(Collectors.toCollection(HashSet::new)));
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
