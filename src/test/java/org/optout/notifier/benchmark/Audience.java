package org.optout.notifier.benchmark;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Active subscribers as the benchmark needs them, in several countries, time zones, languages and send hours, all on
 * LinkedIn (so a LinkedIn change in the EU, EEA, Switzerland, Canada and Hong Kong matches every one) and a third also
 * on Facebook. Written with COPY: set-up is not what is measured.
 */
public final class Audience {

    private record Population(String country, String zone, String language) {
    }

    private static final List<Population> POPULATIONS = List.of(
            new Population("HK", "Asia/Hong_Kong", "zh-HK"), new Population("HK", "Asia/Hong_Kong", "en"),
            new Population("DE", "Europe/Berlin", "en"), new Population("FR", "Europe/Paris", "en"),
            new Population("NL", "Europe/Amsterdam", "en"), new Population("NO", "Europe/Oslo", "en"),
            new Population("CH", "Europe/Zurich", "en"), new Population("IE", "Europe/Dublin", "en"),
            new Population("CA", "America/Toronto", "en"), new Population("CA", "America/Vancouver", "en"));
    private static final int[] SEND_HOURS = {8, 9, 9, 9, 10, 18};
    private static final int CHUNK = 50_000;

    private Audience() {
    }

    /** Adds subscribers with ids {@code from + 1} to {@code to}; their addresses are {@code bench-<id>@example.org}. */
    public static void add(BenchDatabase database, long from, long to) throws SQLException {
        SplittableRandom random = new SplittableRandom(from);
        try (Connection connection = database.connect()) {
            for (long start = from; start < to; start += CHUNK) {
                long end = Math.min(to, start + CHUNK);
                StringBuilder subscribers = new StringBuilder();
                StringBuilder platforms = new StringBuilder();
                for (long id = start + 1; id <= end; id++) {
                    Population p = POPULATIONS.get((int) (id % POPULATIONS.size()));
                    subscribers.append(id).append(",bench-").append(id).append("@example.org,").append(p.country)
                            .append(",\"7,1\",").append(SEND_HOURS[(int) (id % SEND_HOURS.length)]).append(',')
                            .append(p.language).append(',').append(p.zone).append(",ACTIVE,")
                            .append(hex(random)).append(',').append(hex(random)).append(',').append(hex(random))
                            .append(",API,,2026-01-01 00:00:00+00,2026-01-01 00:00:00+00,,2026-01-01 00:00:00+00,")
                            .append("2026-01-01 00:00:00+00,0\n");
                    platforms.append(id).append(",linkedin\n");
                    if (id % 3 == 0) {
                        platforms.append(id).append(",facebook\n");
                    }
                }
                BenchDatabase.copy(connection, "subscription (id, email, country, lead_days, send_hour, language, "
                        + "time_zone, status, token_salt, manage_token_hash, unsubscribe_token_hash, consent_origin, "
                        + "consent_source, consent_requested_at, consent_confirmed_at, unsubscribed_at, created_at, "
                        + "updated_at, bounces)", subscribers.toString());
                BenchDatabase.copy(connection, "subscription_platform (subscription_id, platform)",
                        platforms.toString());
            }
            try (var statement = connection.createStatement()) {
                // Sign-ups during the run get ids after the crowd's.
                statement.execute("select setval(pg_get_serial_sequence('subscription', 'id'), "
                        + "(select max(id) from subscription))");
                statement.execute("analyze subscription");
                statement.execute("analyze subscription_platform");
            }
        }
    }

    private static String hex(SplittableRandom random) {
        return String.format("%016x%016x%016x%016x", random.nextLong(), random.nextLong(), random.nextLong(),
                random.nextLong());
    }
}
