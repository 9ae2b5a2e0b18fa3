package org.optout.notifier.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.optout.notifier.infrastructure.KafkaBroker;

/**
 * Ingest rate of valid policy changes through the real broker into the database: not part of the default suite
 * ({@code ./mvnw test -Pbenchmarks}); results go to target/benchmarks and docs/benchmarks.md.
 */
@QuarkusTest
@TestProfile(PolicyChangeIngestBenchmark.QuietIntake.class)
class PolicyChangeIngestBenchmark {

    /** No operator notice per change: 10,000 mails would measure the SMTP server, not the intake. */
    public static class QuietIntake implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("notifier.intake-notice-to", "");
        }
    }

    @Test
    void tenThousandValidEventsThroughTheRealBroker() throws Exception {
        int events = Integer.getInteger("benchmark.events", 10_000);
        long before = stored();
        List<ProducerRecord<String, String>> records = new ArrayList<>(events);
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < events; i++) {
            String changeId = "bench-" + run + "-" + i;
            records.add(PolicyChanges.structured(PolicyChanges.PCPD, "evt-" + changeId,
                    PolicyChanges.data(changeId, 1)));
        }

        Instant start = Instant.now();
        KafkaBroker.companion().produceStrings().fromRecords(records).awaitCompletion(Duration.ofMinutes(5));
        Duration produced = Duration.between(start, Instant.now());
        while (stored() < before + events) {
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofMinutes(15));
            Thread.sleep(200);
        }
        Duration total = Duration.between(start, Instant.now());

        assertThat(stored()).isEqualTo(before + events);
        String result = "policy-change ingest: %d events, produced in %.1f s, stored in %.1f s: %.0f events/s%n"
                .formatted(events, produced.toMillis() / 1000.0, total.toMillis() / 1000.0,
                        events * 1000.0 / total.toMillis());
        Files.createDirectories(Path.of("target", "benchmarks"));
        Files.writeString(Path.of("target", "benchmarks", "policy-ingest.txt"), result);
        System.out.print(result);
    }

    private static long stored() {
        return QuarkusTransaction.requiringNew().call(() -> PolicyChange.count());
    }
}
