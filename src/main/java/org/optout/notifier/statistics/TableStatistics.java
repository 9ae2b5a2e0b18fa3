package org.optout.notifier.statistics;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refreshes the database's statistics of a table the service fills, once it wrote at least {@value #ROWS} rows and a
 * tenth of the rows the statistics last counted (autovacuum's own rule) since the last time, as PostgreSQL advises
 * after a bulk load. Plans depend on them, and autovacuum analyzes a table only a minute or more after a tenth of it
 * changed, and never where it is switched off (as on the CI machines). Two cases that cost: a table never analyzed,
 * where PostgreSQL read all 200,000 reminders for each claim of 100; and a statement the driver prepared while its
 * table was empty, whose generic plan PostgreSQL keeps until the statistics change: a batch's lookup of 500 policy
 * changes by id read the whole table, 260 ms at 20,000 changes. A fixed step is no cure either: 10,000 changes of ten
 * reminders each analyzed the growing reminder table a hundred times, 80 ms each at 100,000 rows.
 * The one place where the two databases' statements differ.
 */
@ApplicationScoped
public class TableStatistics {

    public static final int ROWS = 1_000;
    /** autovacuum_analyze_scale_factor's default. */
    private static final int TENTH = 10;

    /** The rows written since the last refresh, and how many make the next one due. */
    private static final class Growth {
        final AtomicLong since = new AtomicLong();
        volatile long due = ROWS;
        /** A refresh in the background is queued or running: a fast-growing table does not queue another. */
        final AtomicBoolean refreshing = new AtomicBoolean();
    }

    private final EntityManager em;
    private final String analyze;
    private final String counted;
    private final Map<String, Growth> tables = new ConcurrentHashMap<>();
    private final ExecutorService background = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "table-statistics");
        thread.setDaemon(true);
        return thread;
    });

    TableStatistics(EntityManager em, @ConfigProperty(name = "quarkus.datasource.db-kind") String databaseKind) {
        this.em = em;
        boolean postgresql = "postgresql".equals(databaseKind);
        this.analyze = postgresql ? "analyze " : "analyze table ";
        this.counted = postgresql ? "select cast(reltuples as bigint) from pg_class where oid = cast(?1 as regclass)"
                : "select row_count_estimate from information_schema.tables "
                        + "where table_schema = current_schema and table_name = upper(?1)";
    }

    /** Counts rows written to the table, for a refresh later: a planning that writes a million rows refreshes once. */
    public void wrote(String table, long rows) {
        growth(table).since.addAndGet(rows);
    }

    /**
     * Refreshes the table's statistics, in a transaction of its own, if enough rows were written since the last time;
     * the rows of a caller's transaction still open count from the next time.
     */
    public void refreshIfGrown(String table) {
        Growth growth = growth(table);
        if (due(growth)) {
            refresh(table, growth);
        }
    }

    /**
     * As {@link #refreshIfGrown}, on a thread of its own: a Kafka consumer goes on with its next batch rather than
     * wait between batches for an ANALYZE (up to 0.3 s at 100,000 rows, 6 % of the policy intake's time in the ingest
     * benchmark). Its next batches may run on the older statistics meanwhile, as they would under autovacuum.
     */
    public void refreshSoon(String table) {
        Growth growth = growth(table);
        if (!growth.refreshing.get() && due(growth) && growth.refreshing.compareAndSet(false, true)) {
            background.execute(() -> {
                try {
                    refresh(table, growth);
                } finally {
                    growth.refreshing.set(false);
                }
            });
        }
    }

    @PreDestroy
    void stop() {
        background.shutdownNow();
    }

    /** Whether a refresh is due; if so, the count starts again, so that rows counted meanwhile are not lost. */
    private static boolean due(Growth growth) {
        long due = growth.due;
        return growth.since.getAndUpdate(rows -> rows < due ? rows : 0) >= due;
    }

    private void refresh(String table, Growth growth) {
        try {
            long rows = QuarkusTransaction.requiringNew().call(() -> {
                em.createNativeQuery(analyze + table).executeUpdate();
                return ((Number) em.createNativeQuery(counted).setParameter(1, table).getSingleResult()).longValue();
            });
            growth.due = Math.max(ROWS, rows / TENTH);
        } catch (RuntimeException e) {
            // Statistics only speed up what follows: their caller's work goes on, and the next rows try again.
            Log.warnf("Refreshing the statistics of %s failed: %s", table, e.getClass().getName());
        }
    }

    private Growth growth(String table) {
        return tables.computeIfAbsent(table, name -> new Growth());
    }
}
