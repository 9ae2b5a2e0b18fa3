package db.migration;

import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Ids of the rows a batch of policy changes writes come from sequences handed out 50 at a time, so that Hibernate
 * inserts them in JDBC batches: an identity column makes every insert a round trip of its own. Java, because the start
 * value comes from the data and neither H2's nor PostgreSQL's DDL takes it from a query in the same syntax.
 */
public class V12__IdsFromSequences extends BaseJavaMigration {

    /** Handed out at once: the entities' {@code allocationSize}. */
    private static final int BLOCK = 50;

    private static final List<String> TABLES = List.of("policy_change", "policy_change_revision", "planning_task");

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement statement = context.getConnection().createStatement()) {
            for (String table : TABLES) {
                Sequences.createPast(statement, table, BLOCK);
            }
        }
    }
}
