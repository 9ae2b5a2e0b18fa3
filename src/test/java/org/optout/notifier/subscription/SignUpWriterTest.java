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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
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
    MeterRegistry registry;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void signUpsAskedAtOnceAreStoredInFewTransactionsAndEachHearsItsOwnAnswer() throws Exception {
        // Just after a window boundary, so that all hits of the busy client fall in one fixed window.
        long window = Duration.ofMinutes(10).toMillis();
        clock.advance(Duration.ofMillis(window - clock.instant().toEpochMilli() % window + 1000));
        String busyClient = "test:" + UUID.randomUUID();
        double groupsBefore = groups();
        List<String> fromDistinctClients = addresses(40);
        List<String> fromBusyClient = addresses(12);
        List<CompletableFuture<Void>> answers = new ArrayList<>();
        fromDistinctClients.forEach(email -> answers.add(writer.write("test:" + UUID.randomUUID(), request(email),
                Origin.API)));
        fromBusyClient.forEach(email -> answers.add(writer.write(busyClient, request(email), Origin.API)));

        List<Object> outcomes = new ArrayList<>();
        for (CompletableFuture<Void> answer : answers) {
            outcomes.add(outcome(answer));
        }

        assertThat(outcomes.subList(0, 50)).as("the first ten of the busy client's").containsOnly("stored");
        assertThat(outcomes.subList(50, 52)).allMatch(RateLimitedException.class::isInstance);
        assertThat(groups() - groupsBefore).as("transactions for 52 requests").isBetween(1.0, 10.0);
        for (String email : fromDistinctClients) {
            Mailbox.awaitOne(email, SubscriptionFlows.CONFIRM_SUBJECT);
        }
        assertThat(stored(fromBusyClient.subList(10, 12))).as("refused requests queued").isZero();
        assertThat(Mailbox.all(fromBusyClient.get(11))).isEmpty();
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

    private static Object outcome(CompletableFuture<Void> answer) throws Exception {
        try {
            answer.get(30, TimeUnit.SECONDS);
            return "stored";
        } catch (ExecutionException e) {
            return e.getCause();
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
