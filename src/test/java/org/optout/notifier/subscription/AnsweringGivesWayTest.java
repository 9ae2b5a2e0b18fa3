package org.optout.notifier.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Answering sign-ups (the confirmation mail) waits while a burst of them is being accepted, so that accepting has the
 * cores, and answers anyway: at first after {@link RequestProcessor#GIVING_WAY}, then a batch at a time.
 */
@QuarkusTest
class AnsweringGivesWayTest {

    @Inject
    SignUpWriter writer;

    @Inject
    SubscriptionValidator validator;

    private final ScheduledExecutorService burst = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void endBurst() {
        burst.shutdownNow();
    }

    @Test
    void answeringGivesWayToABurstOfSignUpsButNeverStops() throws Exception {
        // Sign-ups that had to wait for one another, every 50 ms for as long as the test runs.
        burst.scheduleAtFixedRate(() -> writer.pressure().felt(), 0, 50, TimeUnit.MILLISECONDS);
        String email = Clients.newAddress();
        long begin = System.nanoTime();

        SubscriptionFlows.signUp(email);
        Thread.sleep(RequestProcessor.GIVING_WAY.toMillis() / 2);
        assertThat(queued(List.of(email))).as("answered during the burst").isOne();

        SubscriptionFlows.awaitAnswered(email);
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(RequestProcessor.GIVING_WAY);
        Mailbox.awaitOne(email, SubscriptionFlows.CONFIRM_SUBJECT);
    }

    @Test
    void aBacklogOfMoreThanABatchIsAnsweredWhileTheBurstGoesOn() throws Exception {
        burst.scheduleAtFixedRate(() -> writer.pressure().felt(), 0, 50, TimeUnit.MILLISECONDS);
        List<String> emails = new ArrayList<>();
        List<SignUpWriter.Entry> entries = new ArrayList<>();
        for (int i = 0; i < RequestProcessor.BATCH + 5; i++) {
            String email = Clients.newAddress();
            emails.add(email);
            entries.add(writer.submit("test:" + UUID.randomUUID(), validator.validate(
                    new SubscriptionRequest(email, "HK", List.of("linkedin"), null, null, "en", null), Language.EN),
                    Origin.API));
        }
        entries.forEach(writer::await);

        long deadline = System.nanoTime() + Mailbox.WAIT.toNanos();
        while (queued(emails) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(queued(emails)).as("requests still queued").isZero();
        Mailbox.awaitOne(emails.get(emails.size() - 1), SubscriptionFlows.CONFIRM_SUBJECT);
    }

    private static long queued(List<String> emails) {
        return QuarkusTransaction.requiringNew().call(() -> ReceivedRequest.count("details.email in ?1", emails));
    }
}
