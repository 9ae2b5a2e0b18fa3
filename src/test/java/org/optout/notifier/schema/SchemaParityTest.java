package org.optout.notifier.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.SortedSet;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The migrations must give H2 (local runs) and PostgreSQL (production) the same schema: the same tables, columns
 * (type, size, nullability) and constraints. Each database is migrated from empty by Flyway, then described through
 * JDBC metadata and the standard information schema.
 */
class SchemaParityTest {

    private static final String PG_SCHEMA = "schema_parity";
    private static final String HISTORY_TABLE = "flyway_schema_history";

    /** Vendor type names mapped to one vocabulary; anything else must already be spelled the same. */
    private static final Map<String, String> TYPE_NAMES = Map.ofEntries(
            Map.entry("int8", "bigint"), Map.entry("int4", "integer"), Map.entry("int2", "smallint"),
            Map.entry("bool", "boolean"), Map.entry("character varying", "varchar"),
            Map.entry("timestamptz", "timestamp with time zone"), Map.entry("float8", "double precision"),
            Map.entry("numeric", "numeric"), Map.entry("decimal", "numeric"), Map.entry("bpchar", "char"),
            Map.entry("character", "char"), Map.entry("bytea", "varbinary"),
            Map.entry("binary varying", "varbinary"));

    @Test
    void h2AndPostgresqlEndUpWithTheSameSchema() throws SQLException {
        String h2Url = "jdbc:h2:mem:schema-parity;DB_CLOSE_DELAY=-1";
        String pgUrl = System.getProperty("test.postgresql.url", "jdbc:postgresql://127.0.0.1:5432/test");
        String pgUser = System.getProperty("test.postgresql.user", "postgres");

        migrate(h2Url, "sa", "PUBLIC", "classpath:db/migration");
        // With PostgreSQL's own settings, which change no column's type, size or constraints.
        migrate(pgUrl, pgUser, PG_SCHEMA, "classpath:db/migration", "classpath:db/postgresql");

        try (Connection h2 = DriverManager.getConnection(h2Url, "sa", "");
                Connection pg = DriverManager.getConnection(pgUrl, pgUser, "")) {
            SortedSet<String> h2Schema = describe(h2, "PUBLIC");
            SortedSet<String> pgSchema = describe(pg, PG_SCHEMA);

            assertThat(h2Schema).as("H2 schema").anyMatch(line -> line.startsWith("table policy_change"));
            assertThat(pgSchema).as("PostgreSQL schema").containsExactlyElementsOf(h2Schema);
        }
    }

    private static void migrate(String url, String user, String schema, String... locations) {
        Flyway flyway = Flyway.configure()
                .dataSource(url, user, "")
                .schemas(schema)
                .locations(locations)
                .cleanDisabled(false)
                .load();
        flyway.clean();
        flyway.migrate();
    }

    private static SortedSet<String> describe(Connection connection, String schema) throws SQLException {
        SortedSet<String> lines = new TreeSet<>();
        DatabaseMetaData meta = connection.getMetaData();
        try (ResultSet tables = meta.getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (tables.next()) {
                String table = tables.getString("TABLE_NAME");
                if (!HISTORY_TABLE.equalsIgnoreCase(table)) {
                    lines.add("table " + lower(table));
                    describeColumns(meta, schema, table, lines);
                }
            }
        }
        describeConstraints(connection, schema, lines);
        return lines;
    }

    private static void describeColumns(DatabaseMetaData meta, String schema, String table, SortedSet<String> lines)
            throws SQLException {
        try (ResultSet columns = meta.getColumns(null, schema, table, "%")) {
            while (columns.next()) {
                String type = normalType(columns.getString("TYPE_NAME"));
                String size = type.equals("varchar") || type.equals("char") ? "(" + columns.getInt("COLUMN_SIZE") + ")"
                        : "";
                lines.add("column %s.%s %s%s %s%s".formatted(lower(table), lower(columns.getString("COLUMN_NAME")),
                        type, size, columns.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls ? "not null" : "null",
                        "YES".equals(columns.getString("IS_AUTOINCREMENT")) ? " identity" : ""));
            }
        }
    }

    /** Named constraints with their columns; PostgreSQL's implicit NOT NULL checks are covered by the columns. */
    private static void describeConstraints(Connection connection, String schema, SortedSet<String> lines)
            throws SQLException {
        String sql = """
                select tc.table_name, tc.constraint_name, tc.constraint_type, kcu.column_name
                from information_schema.table_constraints tc
                left join information_schema.key_column_usage kcu
                  on kcu.constraint_schema = tc.constraint_schema and kcu.constraint_name = tc.constraint_name
                 and kcu.table_name = tc.table_name
                where tc.table_schema = '%s'
                """.formatted(schema);
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                String table = lower(rows.getString(1));
                String name = lower(rows.getString(2));
                if (!table.equals(HISTORY_TABLE) && !name.endsWith("_not_null")) {
                    String column = rows.getString(4);
                    lines.add("constraint %s.%s %s%s".formatted(table, name, lower(rows.getString(3)),
                            column == null ? "" : " " + lower(column)));
                }
            }
        }
    }

    private static String normalType(String vendorType) {
        String type = lower(vendorType);
        return TYPE_NAMES.getOrDefault(type, type);
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
