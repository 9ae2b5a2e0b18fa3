package org.optout.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several mails in flight, never more than the connections, and nothing started once the gate says stop. */
class MailSenderTest {

    /** An SMTP server that takes 20 ms per mail, counting what it has at once, failing the mails to addresses starting with "refused". */
    private static final class SlowRelay implements MailSender.Relay {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final AtomicInteger received = new AtomicInteger();

        @Override
        public void send(EncodedMail mail) throws InterruptedException {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            Thread.sleep(20);
            inFlight.decrementAndGet();
            received.incrementAndGet();
            if (mail.recipient().startsWith("refused")) {
                throw new IllegalStateException("550 5.1.1 no such user");
            }
        }
    }

    private final SlowRelay relay = new SlowRelay();
    private final MailSender sender = new MailSender(relay, Clock.fixed(Instant.parse("2026-12-03T09:00:00Z"),
            ZoneOffset.UTC), 3, 0);

    @AfterEach
    void stopSessions() {
        sender.stop();
    }

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

        // Paused after the fifth mail started, while it and others are with the relay: the gate is asked once for
        // each mail, in order.
        AtomicInteger asked = new AtomicInteger();
        List<MailSender.Sent<Integer>> sent = sender.send(mails, (about, now) -> {
            assertThat(about).isEqualTo(asked.getAndIncrement());
            return about >= 5 ? "paused" : null;
        });

        assertThat(sent.subList(0, 5)).allMatch(MailSender.Sent::accepted);
        assertThat(sent.subList(5, 20)).allMatch(s -> "paused".equals(s.notStarted()));
        assertThat(relay.received.get()).isEqualTo(5);
    }
}
