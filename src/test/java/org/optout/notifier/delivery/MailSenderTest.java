package org.optout.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Several mails in flight, never more than the connections, and nothing started once the gate says stop. */
class MailSenderTest {

    /** An SMTP server that takes 20 ms per mail, counting what it has at once, failing the mails to addresses starting with "refused". */
    private static final class SlowRelay implements Function<EncodedMail, CompletableFuture<Void>> {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final AtomicInteger received = new AtomicInteger();

        @Override
        public CompletableFuture<Void> apply(EncodedMail mail) {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            return CompletableFuture.runAsync(() -> {
                inFlight.decrementAndGet();
                received.incrementAndGet();
                if (mail.recipient().startsWith("refused")) {
                    throw new IllegalStateException("550 5.1.1 no such user");
                }
            }, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
        }
    }

    private final SlowRelay relay = new SlowRelay();
    private final MailSender sender = new MailSender(relay, Clock.fixed(Instant.parse("2026-12-03T09:00:00Z"),
            ZoneOffset.UTC), 3, 0, Duration.ofSeconds(5));

    @Test
    void sendsSeveralAtOnceButNeverMoreThanTheConnectionsAndAnswersInOrder() {
        List<MailSender.Outgoing<Integer>> mails = IntStream.range(0, 30).mapToObj(i -> new MailSender.Outgoing<>(i,
                new EncodedMail((i == 7 ? "refused" : "reader") + i + "@example.org", new byte[0]))).toList();

        List<MailSender.Sent<Integer>> sent = sender.send(mails, (about, now) -> null);

        assertThat(sent).extracting(MailSender.Sent::about).containsExactlyElementsOf(IntStream.range(0, 30).boxed()
                .toList());
        assertThat(sent).filteredOn(MailSender.Sent::accepted).hasSize(29);
        assertThat(sent.get(7).failure()).isNotNull();
        assertThat(relay.most.get()).isEqualTo(3);
        assertThat(relay.received.get()).isEqualTo(30);
    }

    @Test
    void aStopTakesHoldBeforeTheNextMailStarts() {
        List<MailSender.Outgoing<Integer>> mails = IntStream.range(0, 20).mapToObj(i -> new MailSender.Outgoing<>(i,
                new EncodedMail("reader" + i + "@example.org", new byte[0]))).toList();

        // Paused while the fifth mail is with the relay.
        List<MailSender.Sent<Integer>> sent = sender.send(mails, (about, now) -> relay.received.get() + relay.inFlight
                .get() >= 5 ? "paused" : null);

        assertThat(sent).filteredOn(MailSender.Sent::accepted).hasSize(5);
        assertThat(sent.subList(5, 20)).allMatch(s -> "paused".equals(s.notStarted()));
        assertThat(relay.received.get()).isEqualTo(5);
    }
}
