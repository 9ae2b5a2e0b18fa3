package org.optout.notifier.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The ingest scenario's baseline: about the least a Java service does to store the same events. A bare
 * {@link KafkaConsumer} in the harness's JVM reads each CloudEvent's JSON with Jackson and writes the rows the service
 * writes for it into shadow tables ({@code baseline_*}: same columns, constraints, indexes and foreign keys as the
 * service's), one JDBC batch and one transaction per poll, then commits the offsets ({@code commitSync}), so it is
 * at-least-once like the service. Ids come from a counter in the JVM, so that child rows can go into the same batch
 * as their parent. The JDBC driver rewrites each batch into multi-row inserts ({@code reWriteBatchedInserts}), as
 * anyone writing a batch loader would set it.
 *
 * <p>What it leaves out, on purpose, because it is the service's added value and this is the floor: validation
 * against the contract, the duplicate check before each event, the audience count of a change, one transaction per
 * event, and the work that follows (planning, confirmation mails).
 */
final class IngestBaseline implements AutoCloseable {

    static final String PREFIX = "baseline_";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REFERENCES = Pattern.compile("REFERENCES (\\w+)\\(");

    private final KafkaConsumer<String, String> consumer;
    private final Connection connection;
    private final Rows rows;
    private final Thread thread;
    private final CountDownLatch assigned = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Exception failure;

    private IngestBaseline(BenchDatabase database, String kafka, String topic, Rows rows) throws SQLException {
        Properties config = new Properties();
        config.put("bootstrap.servers", kafka);
        config.put("group.id", "bench-baseline-" + topic);
        config.put("key.deserializer", StringDeserializer.class.getName());
        config.put("value.deserializer", StringDeserializer.class.getName());
        config.put("auto.offset.reset", "earliest");
        config.put("enable.auto.commit", "false");
        this.consumer = new KafkaConsumer<>(config);
        this.connection = DriverManager.getConnection(database.url() + "?reWriteBatchedInserts=true",
                BenchDatabase.USER, null);
        connection.setAutoCommit(false);
        this.rows = rows;
        rows.prepare(connection);
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    assigned.countDown();
                }
            }
        });
        this.thread = new Thread(this::consume, "ingest-baseline");
    }

    /**
     * Creates the topic (as many partitions as the service's topics have) and the shadow tables, then starts consuming
     * and waits until the consumer has its partitions, so that a measurement does not include the group's join.
     */
    static IngestBaseline start(BenchDatabase database, String kafka, String topic, Rows rows) throws Exception {
        createTopic(kafka, topic);
        createShadowTables(database, rows.tables());
        IngestBaseline baseline = new IngestBaseline(database, kafka, topic, rows);
        baseline.thread.start();
        if (!baseline.assigned.await(60, TimeUnit.SECONDS)) {
            baseline.close();
            throw new IllegalStateException("the baseline consumer got no partition of " + topic + " within 60 s");
        }
        return baseline;
    }

    /** Throws if the consumer died. */
    void check() {
        if (failure != null) {
            throw new IllegalStateException("the baseline consumer failed", failure);
        }
    }

    private void consume() {
        try {
            while (running) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                Timestamp now = Timestamp.from(Instant.now());
                for (ConsumerRecord<String, String> record : records) {
                    rows.add(JSON.readTree(record.value()), now);
                }
                rows.execute();
                connection.commit();
                consumer.commitSync();
            }
        } catch (WakeupException closing) {
            // close()
        } catch (Exception e) {
            failure = e;
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        consumer.wakeup();
        if (thread.isAlive()) {
            thread.join();
        }
        consumer.close(Duration.ofSeconds(10));
        connection.close();
    }

    private static void createTopic(String kafka, String topic) throws Exception {
        try (Admin admin = Admin.create(java.util.Map.of("bootstrap.servers", kafka))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /**
     * {@code baseline_x (like x including all)} for each table, with x's foreign keys, pointing at the shadow of the
     * referenced table where there is one.
     */
    private static void createShadowTables(BenchDatabase database, List<String> tables) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            for (String table : tables) {
                statement.execute("drop table if exists " + PREFIX + table + " cascade");
                statement.execute("create table " + PREFIX + table + " (like " + table + " including all)");
            }
            for (String table : tables) {
                List<String> foreignKeys = new ArrayList<>();
                try (ResultSet keys = statement.executeQuery("select pg_get_constraintdef(oid) from pg_constraint "
                        + "where conrelid = '" + table + "'::regclass and contype = 'f'")) {
                    while (keys.next()) {
                        foreignKeys.add(keys.getString(1));
                    }
                }
                for (String definition : foreignKeys) {
                    Matcher m = REFERENCES.matcher(definition);
                    String shadowed = m.find() && tables.contains(m.group(1))
                            ? m.replaceFirst("REFERENCES " + PREFIX + m.group(1) + "(") : definition;
                    statement.execute("alter table " + PREFIX + table + " add " + shadowed);
                }
            }
        }
    }

    /** The rows of one channel's events: statements prepared once, one batch per poll. */
    interface Rows {

        /** The service's tables these rows go to, parents before children. */
        List<String> tables();

        void prepare(Connection connection) throws SQLException;

        void add(JsonNode event, Timestamp now) throws SQLException;

        /** Executes the batches, parents first. */
        void execute() throws SQLException;
    }

    /** What {@code PolicyChangeIntake} stores for a new change. */
    static final class ChangeRows implements Rows {

        private PreparedStatement change;
        private PreparedStatement platform;
        private PreparedStatement country;
        private PreparedStatement revision;
        private PreparedStatement planning;
        private PreparedStatement processed;
        private long ids;

        @Override
        public List<String> tables() {
            return List.of("policy_change", "policy_change_platform", "policy_change_country",
                    "policy_change_revision", "planning_task", "processed_event");
        }

        @Override
        public void prepare(Connection connection) throws SQLException {
            change = connection.prepareStatement("insert into " + PREFIX + "policy_change (id, change_id, source, "
                    + "revision, status, title, effective_date, effective_at, data, received_at, audience, "
                    + "awaiting_approval) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null, false)");
            platform = connection.prepareStatement("insert into " + PREFIX + "policy_change_platform "
                    + "(policy_change_id, platform) values (?, ?)");
            country = connection.prepareStatement("insert into " + PREFIX + "policy_change_country "
                    + "(policy_change_id, country) values (?, ?)");
            revision = connection.prepareStatement("insert into " + PREFIX + "policy_change_revision (id, "
                    + "policy_change_id, revision, source, event_id, data, received_at) values (?, ?, ?, ?, ?, ?, ?)");
            planning = connection.prepareStatement("insert into " + PREFIX + "planning_task (id, change_id, revision, "
                    + "created_at, planned_up_to) values (?, ?, ?, ?, 0)");
            processed = processedEvent(connection);
        }

        @Override
        public void add(JsonNode event, Timestamp now) throws SQLException {
            JsonNode data = event.get("data");
            String source = event.get("source").asText();
            String changeId = data.get("changeId").asText();
            int number = data.get("revision").asInt();
            String json = data.toString();
            long id = ++ids;
            change.setLong(1, id);
            change.setString(2, changeId);
            change.setString(3, source);
            change.setInt(4, number);
            change.setString(5, data.get("status").asText());
            change.setString(6, data.get("title").asText());
            change.setDate(7, Date.valueOf(LocalDate.parse(data.get("effectiveDate").asText())));
            if (data.hasNonNull("effectiveAt")) {
                change.setTimestamp(8, Timestamp.from(Instant.parse(data.get("effectiveAt").asText())));
            } else {
                change.setNull(8, Types.TIMESTAMP_WITH_TIMEZONE);
            }
            change.setString(9, json);
            change.setTimestamp(10, now);
            change.addBatch();
            for (JsonNode name : data.get("platforms")) {
                platform.setLong(1, id);
                platform.setString(2, name.asText());
                platform.addBatch();
            }
            for (JsonNode region : data.get("regions")) {
                // The service expands regions (EU, EEA) into countries; the scenario's changes name one country.
                if (region.asText().equals("EU") || region.asText().equals("EEA")) {
                    throw new IllegalArgumentException("the baseline stores single-country regions only, not "
                            + region.asText());
                }
                country.setLong(1, id);
                country.setString(2, region.asText());
                country.addBatch();
            }
            revision.setLong(1, ++ids);
            revision.setLong(2, id);
            revision.setInt(3, number);
            revision.setString(4, source);
            revision.setString(5, event.get("id").asText());
            revision.setString(6, json);
            revision.setTimestamp(7, now);
            revision.addBatch();
            planning.setLong(1, ++ids);
            planning.setString(2, changeId);
            planning.setInt(3, number);
            planning.setTimestamp(4, now);
            planning.addBatch();
            addProcessed(processed, event, now);
        }

        @Override
        public void execute() throws SQLException {
            for (PreparedStatement batch : List.of(change, platform, country, revision, planning, processed)) {
                batch.executeBatch();
            }
        }
    }

    /** What {@code SubscriptionRequestConsumer} stores for a sign-up: the queued request. */
    static final class SignUpRows implements Rows {

        private PreparedStatement request;
        private PreparedStatement processed;
        private long ids;

        @Override
        public List<String> tables() {
            return List.of("subscription_request", "processed_event");
        }

        @Override
        public void prepare(Connection connection) throws SQLException {
            request = connection.prepareStatement("insert into " + PREFIX + "subscription_request (id, email, "
                    + "preferences, origin, source, received_at, attempts, next_attempt_at) "
                    + "values (?, ?, ?, 'KAFKA', ?, ?, 0, ?)");
            processed = processedEvent(connection);
        }

        @Override
        public void add(JsonNode event, Timestamp now) throws SQLException {
            ObjectNode preferences = ((ObjectNode) event.get("data")).deepCopy();
            String email = preferences.remove("email").asText();
            request.setLong(1, ++ids);
            request.setString(2, email);
            request.setString(3, preferences.toString());
            request.setString(4, event.get("source").asText());
            request.setTimestamp(5, now);
            request.setTimestamp(6, now);
            request.addBatch();
            addProcessed(processed, event, now);
        }

        @Override
        public void execute() throws SQLException {
            request.executeBatch();
            processed.executeBatch();
        }
    }

    private static PreparedStatement processedEvent(Connection connection) throws SQLException {
        return connection.prepareStatement("insert into " + PREFIX + "processed_event (source, event_id, "
                + "processed_at) values (?, ?, ?)");
    }

    private static void addProcessed(PreparedStatement processed, JsonNode event, Timestamp now)
            throws SQLException {
        processed.setString(1, event.get("source").asText());
        processed.setString(2, event.get("id").asText());
        processed.setTimestamp(3, now);
        processed.addBatch();
    }
}
