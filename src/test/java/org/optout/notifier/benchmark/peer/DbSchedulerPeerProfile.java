package org.optout.notifier.benchmark.peer;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * Boots the service's own beans against the benchmark's PostgreSQL database and SMTP sink, for {@link DbSchedulerPeer}.
 * A config profile of its own: none of the {@code %test} settings may apply, above all not Flyway's clean at start,
 * since the database holds the benchmark's data. Settings come from the environment: {@code PEER_DB_URL} (JDBC URL of a
 * migrated and filled database, user postgres), {@code PEER_SMTP_PORT} (plain SMTP on 127.0.0.1),
 * {@code PEER_THREADS} (default 1), {@code PEER_LIMIT_SECONDS} (default 300) and {@code PEER_READY_FILE}. They are
 * config expressions, expanded when the application starts: Quarkus reads this profile whenever JUnit resolves the
 * test class, also in runs without the variables, and a missing one then stops the start naming the variable.
 */
public class DbSchedulerPeerProfile implements QuarkusTestProfile {

    static final String TAG = "benchmark-peer";

    @Override
    public String getConfigProfile() {
        return "bench-peer";
    }

    /** The suite's shared Kafka broker and SMTP server would run in the peer's JVM and take its mail. */
    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("peer.threads", "${PEER_THREADS:1}");
        config.put("peer.limit-seconds", "${PEER_LIMIT_SECONDS:300}");
        config.put("peer.ready-file", "${PEER_READY_FILE}");

        config.put("quarkus.datasource.db-kind", "postgresql");
        config.put("quarkus.datasource.jdbc.url", "${PEER_DB_URL}");
        config.put("quarkus.datasource.username", "postgres");
        // Off by default outside %test already; explicit because a clean here would erase the benchmark's data.
        config.put("quarkus.flyway.clean-at-start", "false");
        config.put("quarkus.flyway.clean-disabled", "true");
        // Any free port: the service under benchmark may hold the usual ones.
        config.put("quarkus.http.test-port", "0");

        config.put("quarkus.mailer.mock", "false");
        config.put("quarkus.mailer.host", "127.0.0.1");
        config.put("quarkus.mailer.port", "${PEER_SMTP_PORT}");
        config.put("quarkus.mailer.start-tls", "DISABLED");
        config.put("quarkus.mailer.tls", "false");

        // db-scheduler sends the reminders, not the service's dispatcher; and none of the service's jobs runs beside
        // it (the outcome relay, for one, would hold a lock on the outbox while it waits for a broker that is not there).
        config.put("notifier.delivery.poll", "off");
        config.put("quarkus.scheduler.enabled", "false");
        // The baseline needs no Kafka broker.
        config.put("mp.messaging.incoming.policy-changes.enabled", "false");
        config.put("mp.messaging.incoming.subscription-requests.enabled", "false");
        // Kept, as the outcome relay needs its emitter, but its producer starts on first use: the peer records none.
        config.put("mp.messaging.outgoing.notification-outcomes.lazy-client", "true");
        config.put("notifier.kafka.manage-topic-retention", "false");

        // What production requires; the values only have to exist (links in the mails are never followed).
        config.put("notifier.token-key", "bench-peer-token-key-not-secret-0123456789");
        config.put("notifier.email-hash-key", "bench-peer-email-hash-key-not-secret-0123456789");
        config.put("notifier.admin-password", "bench-peer-admin-password-not-secret");
        config.put("notifier.policy.allowed-sources", "*");
        // The service's, so that both send mails of the same size.
        config.put("notifier.base-url", "https://optout.example.org");
        return config;
    }
}
