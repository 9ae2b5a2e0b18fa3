package org.optout.notifier.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.TestTransaction;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.optout.notifier.inbox.ProcessedEvent.EventKey;

@QuarkusTest
@Tag("persistence")
class ProcessedEventTest {

    private static final String PCPD = "https://www.pcpd.org.hk";

    @Test
    @TestTransaction
    void anEventIsProcessedOnceWithinABatchAndInTheNext() {
        EventKey event = new EventKey(PCPD, UUID.randomUUID().toString());
        ProcessedEvents batch = ProcessedEvents.among(List.of(event, event));
        assertThat(batch.contains(event)).isFalse();

        batch.mark(event, Instant.now());

        assertThat(batch.contains(event)).isTrue();
        assertThat(ProcessedEvents.among(List.of(event)).contains(event)).isTrue();
    }

    @Test
    @TestTransaction
    void sameIdFromAnotherSourceIsAnotherEvent() {
        String id = UUID.randomUUID().toString();
        EventKey fromPcpd = new EventKey(PCPD, id);
        EventKey fromNoyb = new EventKey("https://noyb.eu", id);
        ProcessedEvents.among(List.of(fromPcpd)).mark(fromPcpd, Instant.now());

        ProcessedEvents later = ProcessedEvents.among(List.of(fromPcpd, fromNoyb));

        assertThat(later.contains(fromPcpd)).isTrue();
        assertThat(later.contains(fromNoyb)).isFalse();
    }
}
