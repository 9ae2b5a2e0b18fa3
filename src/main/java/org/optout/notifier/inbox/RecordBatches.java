package org.optout.notifier.inbox;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.optout.notifier.problem.InvalidRequestException;
import org.optout.notifier.statistics.TableStatistics;

/**
 * Consumes a poll's worth of records at once: each is read on its own, and all that read well are stored in one
 * transaction, so that a batch costs one commit rather than one per record. A record that breaks the contract, or
 * that what is stored refuses (a revision not newer), is dead-lettered on its own with its reason and never fails its
 * batch. While the database is unreachable the batch waits for it ({@link Retrying}); if the batch fails for any other
 * reason, its records are stored one by one, so that one record that cannot be stored is dead-lettered alone and the
 * others are kept. The method returns, and the channel commits the offsets, only after the transaction committed and
 * the broker acknowledged every dead letter.
 */
@ApplicationScoped
public class RecordBatches {

    /** Reads one record into the channel's event; throws {@link InvalidEventException} for a broken contract. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(ConsumerRecord<String, byte[]> record);
    }

    /**
     * Stores events in order in the caller's transaction. An event that what is stored refuses is handed to
     * {@code refuse} before anything of it is written; any exception fails the transaction.
     */
    @FunctionalInterface
    public interface Store<T> {
        void store(List<T> events, BiConsumer<T, RuntimeException> refuse);
    }

    /** A record alone after its batch failed: enough for a race on the same row to resolve (0.5 + 1 + 2 s). */
    static final int ATTEMPTS_ALONE = 4;

    private final DeadLetterSender deadLetters;
    private final EventMetrics metrics;
    private final TableStatistics statistics;

    RecordBatches(DeadLetterSender deadLetters, EventMetrics metrics, TableStatistics statistics) {
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.statistics = statistics;
    }

    public <T> void consume(String channel, String deadLetterTopic, ConsumerRecords<String, byte[]> records,
            Reader<T> reader, Store<T> store) {
        Map<T, ConsumerRecord<String, byte[]>> read = new IdentityHashMap<>();
        List<T> events = new ArrayList<>();
        List<Refusal> refused = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                T event = reader.read(record);
                read.put(event, record);
                events.add(event);
            } catch (InvalidEventException | InvalidRequestException invalid) {
                refused.add(new Refusal(record, invalid));
            }
        }
        if (!events.isEmpty()) {
            Map<T, RuntimeException> refusedByStore = stored(channel, events, store);
            refusedByStore.forEach((event, reason) -> refused.add(new Refusal(read.get(event), reason)));
            // Each stored event is recorded as processed (a redelivered one too, in the count: an estimate will do).
            statistics.wrote("processed_event", events.size() - refusedByStore.size());
            statistics.refreshSoon("processed_event");
        }
        refused.sort(Comparator.comparing((Refusal r) -> r.record().partition())
                .thenComparing(r -> r.record().offset()));
        deadLetters.send(deadLetterTopic, refused);
        metrics.accepted(channel, records.count() - refused.size());
        refused.forEach(refusal -> metrics.rejected(channel, refusal.reason()));
    }

    /** Stores the events, in one transaction or else one by one; what was refused, and why. */
    private static <T> Map<T, RuntimeException> stored(String channel, List<T> events, Store<T> store) {
        if (events.size() == 1) {
            return alone(channel, events.get(0), store);
        }
        try {
            return Retrying.call("A batch of " + events.size() + " records from " + channel,
                    () -> inTransaction(events, store), 1);
        } catch (RuntimeException failure) {
            Log.warnf("A batch of %d records from %s failed (%s): storing them one by one", events.size(), channel,
                    failure.getClass().getName());
            Map<T, RuntimeException> refused = new IdentityHashMap<>();
            events.forEach(event -> refused.putAll(alone(channel, event, store)));
            return refused;
        }
    }

    private static <T> Map<T, RuntimeException> alone(String channel, T event, Store<T> store) {
        try {
            return Retrying.call("A record from " + channel, () -> inTransaction(List.of(event), store),
                    ATTEMPTS_ALONE);
        } catch (RuntimeException failure) {
            return Map.of(event, failure);
        }
    }

    private static <T> Map<T, RuntimeException> inTransaction(List<T> events, Store<T> store) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<T, RuntimeException> refused = new IdentityHashMap<>();
            store.store(events, refused::put);
            return refused;
        });
    }
}
