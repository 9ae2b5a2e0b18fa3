package org.optout.notifier.inbox;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.List;

/**
 * Tells a failure because the database cannot be reached (down, restarting, the network cut) from any other: such a
 * failure says nothing about the record being processed, which must wait for the database rather than be
 * dead-lettered.
 */
final class DatabaseOutage {

    /** SQLSTATE class 08 (connection exception), and PostgreSQL's shutting down and not yet accepting connections. */
    private static final List<String> STATES = List.of("08", "57P01", "57P02", "57P03");

    private DatabaseOutage() {
    }

    static boolean caused(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof ConnectException
                    || cause.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
            if (cause instanceof SQLException sql && (connectionState(sql.getSQLState())
                    || String.valueOf(sql.getMessage()).startsWith("Acquisition timeout"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean connectionState(String state) {
        return state != null && STATES.stream().anyMatch(state::startsWith);
    }
}
