package org.optout.notifier.reminder;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refreshes the database's statistics of the reminder and follow-up tables once changes planned at least
 * {@value #ROWS} reminders since the last time, as PostgreSQL advises after a bulk load (not after every change:
 * changes may arrive a hundred a second, each matching a few subscribers). The claim's plans depend on them:
 * autovacuum analyzes a table only after a tenth of it changed, a minute or more later, and never where it is
 * switched off (as on the CI machines); with a table never analyzed, PostgreSQL read all 200,000 reminders for each
 * batch of 100 subscribers (60 ms) and sorted every due row to find the first 400 (up to 140 ms at 100,000 due).
 * The one place where the two databases' statements differ.
 */
@ApplicationScoped
class BacklogStatistics {

    static final int ROWS = 1_000;

    private final EntityManager em;
    private final String analyze;
    private final AtomicLong plannedSince = new AtomicLong();

    BacklogStatistics(EntityManager em, @ConfigProperty(name = "quarkus.datasource.db-kind") String databaseKind) {
        this.em = em;
        this.analyze = "postgresql".equals(databaseKind) ? "analyze " : "analyze table ";
    }

    void planned(int rows) {
        plannedSince.addAndGet(rows);
    }

    void refreshIfGrown() {
        // Read and reset at once, so that rows counted meanwhile are not lost.
        if (plannedSince.getAndUpdate(rows -> rows < ROWS ? rows : 0) < ROWS) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery(analyze + "reminder").executeUpdate();
            em.createNativeQuery(analyze + "follow_up").executeUpdate();
        });
    }
}
