package org.optout.notifier.faults;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.optout.notifier.benchmark.BenchDatabase;
import org.optout.notifier.benchmark.ServiceUnderTest;

/**
 * Where one scenario plays: an empty database of its own on the machine's PostgreSQL and topics of its own on the
 * suite's broker (with their dead-letter topics and a consumer group), so that no scenario counts another's records.
 */
final class Stage implements AutoCloseable {

    static final String DATABASE = System.getProperty("faults.database", "optout_faults");

    private final String name;
    private final BenchDatabase database;
    private final Topics topics;

    Stage(String name, BenchDatabase database, Topics topics) {
        this.name = name;
        this.database = database;
        this.topics = topics;
    }

    static Stage create(String name, Topics topics) throws SQLException, InterruptedException {
        topics.create(List.of(policyChanges(name), signUps(name)));
        return new Stage(name, BenchDatabase.create(DATABASE), topics);
    }

    BenchDatabase database() {
        return database;
    }

    Topics topics() {
        return topics;
    }

    String policyChanges() {
        return policyChanges(name);
    }

    String signUps() {
        return signUps(name);
    }

    static String policyChanges(String stage) {
        return "faults-" + stage + "-policy-changes";
    }

    static String signUps(String stage) {
        return "faults-" + stage + "-subscription-requests";
    }

    static String deadLetters(String topic) {
        return topic + "-dlq";
    }

    /** The production settings of a benchmark run (README, "Configuration"), on this stage's topics. */
    Map<String, String> environment(int smtpPort) {
        return environment(database.url(), smtpPort);
    }

    /** The same with another way to the database (through a proxy that can cut it). */
    Map<String, String> environment(String databaseUrl, int smtpPort) {
        Map<String, String> environment = ServiceUnderTest.environment(databaseUrl, topics.bootstrapServers(),
                smtpPort);
        environment.put("NOTIFIER_KAFKA_GROUP_ID", "optout-notifier-faults-" + name);
        environment.put("MP_MESSAGING_INCOMING_POLICY_CHANGES_TOPIC", policyChanges());
        environment.put("MP_MESSAGING_INCOMING_POLICY_CHANGES_DEAD_LETTER_QUEUE_TOPIC", deadLetters(policyChanges()));
        environment.put("MP_MESSAGING_INCOMING_SUBSCRIPTION_REQUESTS_TOPIC", signUps());
        environment.put("MP_MESSAGING_INCOMING_SUBSCRIPTION_REQUESTS_DEAD_LETTER_QUEUE_TOPIC",
                deadLetters(signUps()));
        return environment;
    }

    @Override
    public void close() throws SQLException {
        database.close();
    }
}
