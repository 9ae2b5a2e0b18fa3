package org.optout.notifier.benchmark;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When produced events became stored: visible in a {@code processed_event} table (the service's or a baseline's
 * copy), whose row is written in the same transaction as the event's effect, so that it is visible exactly when the
 * effect is. Two ways of looking: {@link #awaitCount} counts the rows of a run of events every 50 ms, for throughput;
 * a started watch looks up the events still outstanding every 5 ms by primary key, for latency, so a latency it
 * reports is up to about 5 ms (plus the query's own time) longer than the real one.
 */
final class StoredWatch implements AutoCloseable {

    private static final long LATENCY_POLL_NANOS = Duration.ofMillis(5).toNanos();

    private final BenchDatabase database;
    private final String table;
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    private final Thread poller;
    private volatile boolean running = true;
    private volatile Exception failure;

    private StoredWatch(BenchDatabase database, String table) {
        this.database = database;
        this.table = table;
        this.poller = new Thread(this::poll, "stored-watch");
        poller.setDaemon(true);
    }

    /** A watch for single events' produce-to-stored latencies; {@link #sent} each event just before producing it. */
    static StoredWatch start(BenchDatabase database, String table) {
        StoredWatch watch = new StoredWatch(database, table);
        watch.poller.start();
        return watch;
    }

    /**
     * Waits until {@code count} events whose ids start with {@code prefix} are stored in {@code table}, checking
     * {@code alive} (which throws when whoever stores them died) between looks; the seconds since {@code startNanos}.
     */
    static double awaitCount(BenchDatabase database, String table, String prefix, long count, long startNanos,
            Duration limit, Runnable alive) throws SQLException, InterruptedException {
        long deadline = startNanos + limit.toNanos();
        String sql = "select count(*) from " + table + " where source = ? and event_id like ?";
        try (Connection connection = database.connect(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, ServiceUnderTest.SOURCE);
            query.setString(2, prefix + "%");
            while (true) {
                long stored;
                try (ResultSet result = query.executeQuery()) {
                    result.next();
                    stored = result.getLong(1);
                }
                long now = System.nanoTime();
                if (stored >= count) {
                    return (now - startNanos) / 1e9;
                }
                alive.run();
                if (now > deadline) {
                    throw new IllegalStateException(prefix + "*: " + stored + " of " + count + " stored in " + table
                            + " within " + limit);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Notes that the event is about to be produced now. */
    void sent(String eventId) {
        sentAt.put(eventId, System.nanoTime());
    }

    /** Waits until every event {@link #sent} is stored; their latencies in milliseconds. */
    List<Double> awaitAll(Duration limit, Runnable alive) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (seen.size() < sentAt.size()) {
            if (failure != null) {
                throw new IllegalStateException("watching " + table + " failed", failure);
            }
            alive.run();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(seen.size() + " of " + sentAt.size() + " events stored in " + table
                        + " within " + limit);
            }
            Thread.sleep(20);
        }
        synchronized (latencies) {
            return List.copyOf(latencies);
        }
    }

    private void poll() {
        String sql = "select event_id from " + table + " where source = ? and event_id = any (?)";
        try (Connection connection = database.connect(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, ServiceUnderTest.SOURCE);
            long next = System.nanoTime();
            while (running) {
                List<String> outstanding = new ArrayList<>();
                for (String id : sentAt.keySet()) {
                    if (!seen.contains(id)) {
                        outstanding.add(id);
                    }
                }
                if (!outstanding.isEmpty()) {
                    Array ids = connection.createArrayOf("varchar", outstanding.toArray());
                    query.setArray(2, ids);
                    Set<String> found = new HashSet<>();
                    try (ResultSet result = query.executeQuery()) {
                        while (result.next()) {
                            found.add(result.getString(1));
                        }
                    }
                    // The time the rows were seen: after the query, so its own duration counts against the service.
                    long now = System.nanoTime();
                    for (String id : found) {
                        if (seen.add(id)) {
                            latencies.add((now - sentAt.get(id)) / 1e6);
                        }
                    }
                }
                next += LATENCY_POLL_NANOS;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } else {
                    next = System.nanoTime();
                }
            }
        } catch (InterruptedException stopped) {
            // close()
        } catch (Exception e) {
            failure = e;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        poller.interrupt();
        poller.join();
    }
}
