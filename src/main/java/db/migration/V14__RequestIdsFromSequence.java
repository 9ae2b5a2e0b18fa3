package db.migration;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Queued sign-up requests take their ids from a sequence, 500 at a time, so that a group of them (the sign-ups of
 * concurrent requests, or a batch of forwarded ones) goes to the database as one JDBC batch, not an insert each.
 */
public class V14__RequestIdsFromSequence extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement statement = context.getConnection().createStatement()) {
            Sequences.createPast(statement, "subscription_request", 500);
        }
    }
}
