package db.migration;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Ids of the rows a batch of policy changes writes come from sequences handed out 50 at a time, so that Hibernate
 * inserts them in JDBC batches: an identity column makes every insert a round trip of its own. Each sequence starts
 * past the ids the table already holds (Hibernate's pooled optimizer takes the 49 below each value it draws); the
 * identity columns stay, and nothing else writes these tables. Java, because the start value comes from the data and
 * neither H2's nor PostgreSQL's DDL takes it from a query in the same syntax.
 */
public class V12__IdsFromSequences extends BaseJavaMigration {

    /** Handed out at once: the entities' {@code allocationSize}. */
    private static final int BLOCK = 50;

    private static final List<String> TABLES = List.of("policy_change", "policy_change_revision", "planning_task");

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement statement = context.getConnection().createStatement()) {
            for (String table : TABLES) {
                long highest;
                try (ResultSet max = statement.executeQuery("select coalesce(max(id), 0) from " + table)) {
                    max.next();
                    highest = max.getLong(1);
                }
                statement.execute("create sequence " + table + "_seq start with " + (highest + BLOCK)
                        + " increment by " + BLOCK);
            }
        }
    }
}
