package org.optout.notifier.inbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Moves refused records to a dead-letter topic, with the headers SmallRye's {@code dead-letter-queue} strategy writes
 * (the reason, the exception's class, where the record was), so that operators, {@link DeadLetters} and replays read
 * them alike. A batch consumer cannot leave this to the channel's failure strategy, which would move the whole batch.
 * Returns only once the broker has every letter: the consumer commits its offsets after that, so a record is in its
 * topic or in its dead-letter topic, never in neither.
 */
@ApplicationScoped
public class DeadLetterSender {

    static final String REASON = "dead-letter-reason";

    private final KafkaConnection kafka;
    private KafkaProducer<String, byte[]> producer;

    DeadLetterSender(KafkaConnection kafka) {
        this.kafka = kafka;
    }

    /** Sends one dead letter per refusal to {@code topic}, in order, and waits until the broker has them all. */
    public void send(String topic, List<Refusal> refusals) {
        if (refusals.isEmpty()) {
            return;
        }
        Duration pause = Retrying.FIRST_PAUSE;
        while (true) {
            try {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (Refusal refusal : refusals) {
                    sent.add(producer().send(letter(topic, refusal)));
                }
                for (Future<RecordMetadata> letter : sent) {
                    letter.get();
                }
                return;
            } catch (ExecutionException | RuntimeException e) {
                // The consumer cannot commit without the broker either: it waits here with the batch in hand.
                Log.warnf("%d dead letters for %s not acknowledged (%s), sending again in %d ms", refusals.size(),
                        topic, e.getClass().getName(), pause.toMillis());
                Retrying.sleep(pause);
                pause = Retrying.longer(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending dead letters", e);
            }
        }
    }

    static ProducerRecord<String, byte[]> letter(String topic, Refusal refusal) {
        ConsumerRecord<String, byte[]> record = refusal.record();
        ProducerRecord<String, byte[]> letter = new ProducerRecord<>(topic, null, record.key(), record.value());
        record.headers().forEach(letter.headers()::add);
        Throwable reason = refusal.reason();
        header(letter, "dead-letter-exception-class-name", reason.getClass().getName());
        header(letter, REASON, reason.getMessage() == null ? reason.getClass().getName() : reason.getMessage());
        if (reason.getCause() != null) {
            header(letter, "dead-letter-cause-class-name", reason.getCause().getClass().getName());
            header(letter, "dead-letter-cause", String.valueOf(reason.getCause().getMessage()));
        }
        header(letter, "dead-letter-topic", record.topic());
        header(letter, "dead-letter-partition", String.valueOf(record.partition()));
        header(letter, "dead-letter-offset", String.valueOf(record.offset()));
        return letter;
    }

    private static void header(ProducerRecord<String, byte[]> letter, String key, String value) {
        letter.headers().add(key, value.getBytes(UTF_8));
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(kafka.with(Map.of(
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, DeadLetterKey.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, DeadLetterValue.class,
                    ProducerConfig.ACKS_CONFIG, "all")));
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
