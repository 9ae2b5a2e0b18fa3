package org.optout.notifier.benchmark;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;

/**
 * The benchmark's own database on the machine's PostgreSQL (trust authentication), created empty at the start of a
 * run and dropped at its end; the service under test creates its schema with Flyway (or {@link #migrate}).
 */
public final class BenchDatabase implements AutoCloseable {

    static final String USER = "postgres";
    private static final String SERVER = System.getProperty("bench.postgresql", "jdbc:postgresql://127.0.0.1:5432/");

    private final String name;

    private BenchDatabase(String name) {
        this.name = name;
    }

    public static BenchDatabase create(String name) throws SQLException {
        BenchDatabase database = new BenchDatabase(name);
        database.drop();
        administer("create database " + name);
        return database;
    }

    public String url() {
        return SERVER + name;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, null);
    }

    public void execute(String... statements) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    public long count(String sql, Object... parameters) throws SQLException {
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    /** Loads CSV text with COPY, the fastest honest way to set data up. */
    public static long copy(Connection connection, String table, String csv) throws SQLException {
        try {
            return connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("copy " + table + " from stdin with (format csv)", new StringReader(csv));
        } catch (IOException e) {
            throw new SQLException(e);
        }
    }

    /** Rows of a query as COPY text, to be loaded elsewhere with {@link #copy}. */
    static String copyOut(Connection connection, String query) throws SQLException {
        var out = new java.io.StringWriter();
        try {
            connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyOut("copy (" + query + ") to stdout with (format csv)", out);
        } catch (IOException e) {
            throw new SQLException(e);
        }
        return out.toString();
    }

    /** The service's schema, by its own Flyway migrations (on the classpath), as a start would migrate it. */
    void migrate() {
        Flyway.configure().dataSource(url(), USER, null).locations("classpath:db/migration", "classpath:db/postgresql")
                .load().migrate();
    }

    public void drop() throws SQLException {
        dropIfExists(name);
    }

    public static void dropIfExists(String name) throws SQLException {
        administer("drop database if exists " + name + " with (force)");
    }

    @Override
    public void close() throws SQLException {
        drop();
    }

    private static void administer(String sql) throws SQLException {
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, null);
                Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }
}
