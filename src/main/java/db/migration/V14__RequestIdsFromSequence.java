package db.migration;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Queued sign-up requests take their ids from a sequence, 500 at a time, so that a group of them (the sign-ups of
 * concurrent requests, or a batch of forwarded ones) goes to the database as one JDBC batch, not an insert each.
 *
 * <p>The queue's rows are deleted once answered, so its highest id says nothing of where the identity column's
 * counter stands, and replicas of the previous version (during a rolling update, or after a rollback) go on drawing
 * from it: it moves a trillion ids ahead first, out of the sequence's reach.
 */
public class V14__RequestIdsFromSequence extends BaseJavaMigration {

    private static final long IDENTITY_FROM = 1_000_000_000_000L;

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement statement = context.getConnection().createStatement()) {
            Sequences.createPast(statement, "subscription_request", 500);
            statement.execute("alter table subscription_request alter column id restart with " + IDENTITY_FROM);
        }
    }
}
