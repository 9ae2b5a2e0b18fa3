package org.optout.notifier.faults;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.optout.notifier.benchmark.ServiceUnderTest;

/**
 * Poison: a flood of 3 MB values first (small on the wire, compressed; megabytes each in the service), then
 * malformed records of every kind a careless or hostile publisher produces (see {@link PoisonRecords}), interleaved
 * one for one with valid policy changes and sign-ups. Every valid one takes effect, every bad one lands
 * in its dead-letter topic exactly where it came from, with a reason of at most 4 KiB and a value of at most
 * 256 KiB, and no consumer stops (liveness 200 throughout, the last valid event after the last bad one processed).
 */
final class Poison implements FaultScenario {

    static final int MAX_REASON_BYTES = 4 * 1024;
    static final int MAX_VALUE_BYTES = 256 * 1024;

    /** Where a record was produced: what its dead letter names in its headers. */
    private record Origin(String topic, int partition, long offset) {
    }

    @Override
    public String name() {
        return "poison";
    }

    @Override
    public Finding run(FaultRun run) throws Exception {
        int count = run.size().poisonRecords();
        Finding finding = new Finding(name()).load(String.format("%,d valid policy changes and sign-ups", count))
                .faults("malformed records interleaved one for one");
        try (Stage stage = run.stage(name()); Mailbox mailbox = Mailbox.start(run.folder("poison-mail"));
                Publisher publisher = new Publisher(stage.topics().bootstrapServers())) {
            PoisonRecords poison = new PoisonRecords(stage);
            List<Future<RecordMetadata>> bad = new java.util.ArrayList<>();
            List<String> kinds = new java.util.ArrayList<>();
            // Waiting before the service starts, as a backlog does for a restarted pod: its first polls fetch them all.
            int flood = run.size().poisonFlood();
            for (int i = 0; i < flood; i++) {
                bad.add(publisher.send(poison.flood(i)));
                kinds.add(poison.floodName(i));
            }
            publisher.flush();
            try (ServiceUnderTest app = run.start("poison", stage.environment(mailbox.port()));
                    HealthWatch health = new HealthWatch(app.application())) {
                Intake intake = new Intake("poison", stage);
                for (int i = 0; i < count; i++) {
                    if (i % 2 == 0) {
                        intake.change(publisher);
                    } else {
                        intake.signUp(publisher);
                    }
                    ProducerRecord<String, String> record = poison.record(i, intake.lastChangeId());
                    bad.add(publisher.send(record));
                    kinds.add(poison.kind(i));
                }
                publisher.flush();
                finding.badInputs(String.format("%,d of %d kinds after a flood of %,d 3 MB values", count,
                        PoisonRecords.KINDS.size(), flood));
                FaultSuite.log("  kinds: " + poison.kinds());
                Map<Origin, String> origins = new HashMap<>();
                for (int i = 0; i < bad.size(); i++) {
                    RecordMetadata metadata = bad.get(i).get();
                    origins.put(new Origin(metadata.topic(), metadata.partition(), metadata.offset()), kinds.get(i));
                }
                List<String> deadLetterTopics = List.of(Stage.deadLetters(stage.policyChanges()),
                        Stage.deadLetters(stage.signUps()));
                finding.check(run.await(() -> intake.processed(mailbox) && deadLetterTopics.stream()
                        .mapToLong(t -> stage.topics().count(t)).sum() >= bad.size()),
                        "not all processed and dead-lettered within " + run.size().limit());
                Mailbox.Tally tally = mailbox.tally();
                Set<Origin> lettered = new HashSet<>();
                int longestReason = 0;
                for (String topic : deadLetterTopics) {
                    for (ConsumerRecord<byte[], byte[]> letter : stage.topics().read(topic)) {
                        String reason = header(letter, "dead-letter-reason");
                        longestReason = Math.max(longestReason, reason.getBytes(StandardCharsets.UTF_8).length);
                        finding.check(!reason.isEmpty(), "a dead letter without a reason")
                                .check(reason.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES,
                                        "a reason of " + reason.length() + " characters")
                                .check(letter.value() == null || letter.value().length <= MAX_VALUE_BYTES,
                                        "a dead letter of " + letter.value().length + " bytes");
                        lettered.add(new Origin(header(letter, "dead-letter-topic"),
                                Integer.parseInt(header(letter, "dead-letter-partition")),
                                Long.parseLong(header(letter, "dead-letter-offset"))));
                    }
                }
                Set<Origin> silentlyDropped = new HashSet<>(origins.keySet());
                silentlyDropped.removeAll(lettered);
                Set<Origin> validLettered = new HashSet<>(lettered);
                validLettered.removeAll(origins.keySet());
                // A bad record that is not dead-lettered was taken as valid or dropped without a word: lost either way.
                finding.lost(intake.lost(tally) + silentlyDropped.size())
                        .check(silentlyDropped.isEmpty(), silentlyDropped.size() + " bad records never dead-lettered: "
                                + silentlyDropped.stream().map(origins::get).distinct().sorted().toList())
                        .duplicates(intake.doubled(tally), 0, "")
                        .check(validLettered.isEmpty(), validLettered.size() + " valid records dead-lettered")
                        .check(health.livenessFailures() == 0, health.livenessFailures() + " liveness failures")
                        .check(app.application().isAlive(), "the process ended")
                        .note(String.format("%,d dead letters, each where its record came from; longest reason %,d "
                                + "bytes", lettered.size(), longestReason));
            }
        }
        return finding;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
