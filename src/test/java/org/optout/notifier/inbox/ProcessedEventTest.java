package org.optout.notifier.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.TestTransaction;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@QuarkusTest
@Tag("persistence")
class ProcessedEventTest {

    @Test
    @TestTransaction
    void eventIsMarkedProcessedOnlyOnce() {
        String id = UUID.randomUUID().toString();

        assertThat(ProcessedEvent.markProcessed("https://www.pcpd.org.hk", id, Instant.now())).isTrue();
        assertThat(ProcessedEvent.markProcessed("https://www.pcpd.org.hk", id, Instant.now())).isFalse();
    }

    @Test
    @TestTransaction
    void sameIdFromAnotherSourceIsAnotherEvent() {
        String id = UUID.randomUUID().toString();

        assertThat(ProcessedEvent.markProcessed("https://www.pcpd.org.hk", id, Instant.now())).isTrue();
        assertThat(ProcessedEvent.markProcessed("https://noyb.eu", id, Instant.now())).isTrue();
        assertThat(ProcessedEvent.count()).isGreaterThanOrEqualTo(2);
    }
}
