package org.optout.notifier.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.optout.notifier.config.NotifierConfig;
import org.optout.notifier.config.TestClock;
import org.optout.notifier.ratelimit.RateLimitedException;

/** Sign-ups asked at once are counted and stored together, and each request hears its own answer. */
@QuarkusTest
@Tag("persistence")
class SignUpWriterTest {

    @Inject
    SignUpWriter writer;

    @Inject
    SubscriptionValidator validator;

    @Inject
    TestClock clock;

    @Inject
    NotifierConfig config;

    @Inject
    MeterRegistry registry;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void signUpsAskedAtOnceAreStoredInFewTransactionsAndEachHearsItsOwnAnswer() throws Exception {
        int limit = config.rateLimit().signUpsPerWindow();
        // Just after a window boundary, so that all hits of the busy client fall in one fixed window.
        long window = config.rateLimit().window().toMillis();
        clock.advance(Duration.ofMillis(window - clock.instant().toEpochMilli() % window + 1000));
        String busyClient = "test:" + UUID.randomUUID();
        List<String> fromDistinctClients = addresses(40);
        List<String> fromBusyClient = addresses(limit + 2);
        List<ValidatedRequest> distinct = fromDistinctClients.stream().map(this::request).toList();
        List<ValidatedRequest> busy = fromBusyClient.stream().map(this::request).toList();
        double groupsBefore = groups();

        List<SignUpWriter.Entry> entries = new ArrayList<>();
        distinct.forEach(request -> entries.add(writer.submit("test:" + UUID.randomUUID(), request, Origin.API)));
        busy.forEach(request -> entries.add(writer.submit(busyClient, request, Origin.API)));
        List<Object> outcomes = new ArrayList<>();
        for (SignUpWriter.Entry entry : entries) {
            outcomes.add(outcome(entry));
        }

        int allowed = distinct.size() + limit;
        assertThat(outcomes.subList(0, allowed)).as("all but the busy client's last two").containsOnly("stored");
        assertThat(outcomes.subList(allowed, entries.size())).allMatch(RateLimitedException.class::isInstance);
        assertThat(groups() - groupsBefore).as("transactions for %d requests", entries.size()).isBetween(1.0, 10.0);
        for (String email : fromDistinctClients) {
            Mailbox.awaitOne(email, SubscriptionFlows.CONFIRM_SUBJECT);
        }
        Mailbox.awaitOne(fromBusyClient.get(limit - 1), SubscriptionFlows.CONFIRM_SUBJECT);
        assertThat(stored(fromBusyClient.subList(limit, limit + 2))).as("refused requests queued").isZero();
    }

    private ValidatedRequest request(String email) {
        return validator.validate(new SubscriptionRequest(email, "HK", List.of("linkedin"), null, null, "en", null),
                Language.EN);
    }

    private static List<String> addresses(int count) {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            addresses.add(Clients.newAddress());
        }
        return addresses;
    }

    private Object outcome(SignUpWriter.Entry entry) {
        try {
            writer.await(entry);
            return "stored";
        } catch (RateLimitedException e) {
            return e;
        }
    }

    private static long stored(List<String> emails) {
        return QuarkusTransaction.requiringNew().call(() -> ReceivedRequest.count("details.email in ?1", emails)
                + PendingConfirmation.count("details.email in ?1", emails));
    }

    /** The summary appears with the writer, at the first sign-up since start. */
    private double groups() {
        DistributionSummary groups = registry.find("optout.signup.group.size").summary();
        return groups == null ? 0 : groups.count();
    }
}
