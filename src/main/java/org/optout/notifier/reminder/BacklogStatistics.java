package org.optout.notifier.reminder;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refreshes the database's statistics of the reminder and follow-up tables once a change is planned, as PostgreSQL
 * advises after a bulk load. The claim's plans depend on them: autovacuum analyzes a table only after a tenth of it
 * changed, a minute or more later, and never where it is switched off (as on the CI machines); with a table never
 * analyzed, PostgreSQL read all 200,000 reminders for each batch of 100 subscribers (60 ms) and sorted every due row
 * to find the first 400 (up to 140 ms at 100,000 due). The one place where the two databases' statements differ.
 */
@ApplicationScoped
class BacklogStatistics {

    private final EntityManager em;
    private final String analyze;

    BacklogStatistics(EntityManager em, @ConfigProperty(name = "quarkus.datasource.db-kind") String databaseKind) {
        this.em = em;
        this.analyze = "postgresql".equals(databaseKind) ? "analyze " : "analyze table ";
    }

    void refresh() {
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery(analyze + "reminder").executeUpdate();
            em.createNativeQuery(analyze + "follow_up").executeUpdate();
        });
    }
}
