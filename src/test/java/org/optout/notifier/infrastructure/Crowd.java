package org.optout.notifier.infrastructure;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import javax.sql.DataSource;

/**
 * Many active subscribers at once, written by JDBC batches, for tests and benchmarks about volume: going through the
 * sign-up path for each would measure that path instead. Every address of a crowd starts with its prefix, so the
 * crowd can be told apart from other tests' subscribers.
 */
public final class Crowd {

    private static final int BATCH = 1_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Crowd() {
    }

    /** Stores {@code size} subscribers {@code prefix-i@example.org} in this country and zone, on one platform. */
    public static void subscribers(DataSource database, String prefix, int size, String country, String zone,
            String platform) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection connection = database.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into subscription (email, country, lead_days, send_hour, language, time_zone, status,
                            token_salt, manage_token_hash, unsubscribe_token_hash, consent_origin,
                            consent_requested_at, consent_confirmed_at, created_at, updated_at)
                        values (?, ?, '7,1', 9, 'en', ?, 'ACTIVE', ?, ?, ?, 'API', ?, ?, ?, ?)""")) {
            for (int i = 0; i < size; i++) {
                insert.setString(1, address(prefix, i));
                insert.setString(2, country);
                insert.setString(3, zone);
                insert.setString(4, random());
                insert.setString(5, random());
                insert.setString(6, random());
                for (int column = 7; column <= 10; column++) {
                    insert.setTimestamp(column, now);
                }
                insert.addBatch();
                if ((i + 1) % BATCH == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
            try (PreparedStatement platforms = connection.prepareStatement("""
                    insert into subscription_platform (subscription_id, platform)
                    select id, ? from subscription where email like ?""")) {
                platforms.setString(1, platform);
                platforms.setString(2, prefix + "-%");
                platforms.executeUpdate();
            }
        }
    }

    /** One pending reminder per crowd member for this change and lead day, due at {@code due}. */
    public static int dueReminders(DataSource database, String prefix, String changeId, int leadDay, Instant due)
            throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into reminder (subscription_id, change_id, revision, lead_day, catch_up, due_at,
                            next_attempt_at, status, attempts, created_at)
                        select id, ?, 1, ?, false, ?, ?, 'PENDING', 0, ? from subscription where email like ?""")) {
            Timestamp at = Timestamp.from(due);
            insert.setString(1, changeId);
            insert.setInt(2, leadDay);
            insert.setTimestamp(3, at);
            insert.setTimestamp(4, at);
            insert.setTimestamp(5, at);
            insert.setString(6, prefix + "-%");
            return insert.executeUpdate();
        }
    }

    /** Marks this lead day of the change sent for {@code count} crowd members, as a delivery would. */
    public static void markSent(DataSource database, String prefix, String changeId, int leadDay, int count)
            throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        update reminder set status = 'SENT' where change_id = ? and lead_day = ? and subscription_id in
                            (select id from subscription where email like ? order by id fetch first ? rows only)""")) {
            update.setString(1, changeId);
            update.setInt(2, leadDay);
            update.setString(3, prefix + "-%");
            update.setInt(4, count);
            update.executeUpdate();
        }
    }

    public static String address(String prefix, int i) {
        return prefix + "-" + i + "@example.org";
    }

    private static String random() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
