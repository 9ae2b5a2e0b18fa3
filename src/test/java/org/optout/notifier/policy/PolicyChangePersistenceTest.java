package org.optout.notifier.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@QuarkusTest
@Tag("persistence")
class PolicyChangePersistenceTest {

    @Test
    void storedChangeIsFoundByItsChangeId() {
        String changeId = "stored-" + UUID.randomUUID();
        Instant received = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        QuarkusTransaction.requiringNew().run(() -> change(changeId, 2, received).persist());

        PolicyChange found = QuarkusTransaction.requiringNew()
                .call(() -> PolicyChange.findByChangeId(changeId).orElseThrow());

        assertThat(found.revision).isEqualTo(2);
        assertThat(found.title).isEqualTo("Title of " + changeId);
        assertThat(found.receivedAt).isEqualTo(received);
        assertThat(found.platforms).containsExactly("linkedin");
        assertThat(found.countries).containsExactlyInAnyOrder("DE", "HK");
    }

    @Test
    void changeIdIsUnique() {
        String changeId = "unique-" + UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> change(changeId, 1, Instant.now()).persist());

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew()
                .run(() -> change(changeId, 2, Instant.now()).persistAndFlush()))
                .hasRootCauseInstanceOf(java.sql.SQLException.class);
    }

    @Test
    void revisionBelowOneIsRejectedByTheDatabase() {
        String changeId = "revision-" + UUID.randomUUID();

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew()
                .run(() -> change(changeId, 0, Instant.now()).persistAndFlush()))
                .hasRootCauseInstanceOf(java.sql.SQLException.class);
    }

    private static PolicyChange change(String changeId, int revision, Instant received) {
        PolicyChange change = new PolicyChange();
        change.changeId = changeId;
        change.source = "https://www.pcpd.org.hk";
        change.revision = revision;
        change.status = PolicyChangeStatus.CANCELLED;
        change.title = "Title of " + changeId;
        change.effectiveDate = LocalDate.of(2025, 11, 3);
        change.data = PolicyChanges.json(PolicyChanges.data(changeId, revision));
        change.receivedAt = received;
        change.platforms.add("linkedin");
        change.countries.addAll(java.util.List.of("HK", "DE"));
        return change;
    }
}
