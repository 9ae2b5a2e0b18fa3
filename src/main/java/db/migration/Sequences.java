package db.migration;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates a table's id sequence, handing out {@code block} ids at a time, starting past the ids the table holds. The
 * identity column stays, for rows inserted by replicas of the previous version during a rolling update.
 */
final class Sequences {

    private Sequences() {
    }

    static void createPast(Statement statement, String table, int block) throws SQLException {
        long highest;
        try (ResultSet max = statement.executeQuery("select coalesce(max(id), 0) from " + table)) {
            max.next();
            highest = max.getLong(1);
        }
        statement.execute("create sequence " + table + "_seq start with " + (highest + block)
                + " increment by " + block);
    }
}
