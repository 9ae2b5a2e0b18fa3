package org.optout.notifier.policy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.cloudevents.CloudEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.optout.notifier.inbox.CloudEventReader;
import org.optout.notifier.inbox.EventData;
import org.optout.notifier.inbox.InvalidEventException;
import org.optout.notifier.inbox.RecordBatches;
import org.optout.notifier.statistics.TableStatistics;

/**
 * Consumes the {@value #CHANNEL} topic a poll at a time ({@link RecordBatches}): the batch is stored in one
 * transaction, and a record that breaks the contract goes to {@value #DEAD_LETTER_TOPIC} with the reason; the offsets
 * are committed only after the transaction committed.
 */
@ApplicationScoped
public class PolicyChangeConsumer {

    public static final String CHANNEL = "policy-changes";
    public static final String DEAD_LETTER_TOPIC = "policy-changes-dlq";
    public static final String TYPE = "optout.policy-change.v1";
    static final int MAX_BYTES = 256 * 1024;

    /**
     * Strict, like the JSON Schema of the contract: a field it does not know is an error, and no value is coerced into
     * another type ("2" is not a revision, 2 is not a title).
     */
    private static final ObjectMapper STRICT = strictMapper();

    private final PolicyChangeIntake intake;
    private final RecordBatches batches;
    private final String deadLetterTopic;
    private final TableStatistics statistics;
    private final IntakePressure pressure;
    private final int maxPollRecords;

    PolicyChangeConsumer(PolicyChangeIntake intake, RecordBatches batches,
            @ConfigProperty(name = "mp.messaging.incoming.policy-changes.dead-letter-queue.topic")
            String deadLetterTopic, TableStatistics statistics, IntakePressure pressure,
            @ConfigProperty(name = "mp.messaging.incoming.policy-changes.max.poll.records") int maxPollRecords) {
        this.intake = intake;
        this.batches = batches;
        this.deadLetterTopic = deadLetterTopic;
        this.statistics = statistics;
        this.pressure = pressure;
        this.maxPollRecords = maxPollRecords;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        pressure.polled(records.count(), maxPollRecords);
        batches.consume(CHANNEL, deadLetterTopic, records, PolicyChangeConsumer::read, intake::acceptAll);
        // After the commit, not in the batch's transaction, and without waiting for it: the next batch looks its changes
        // up by id, and the planner reads the platforms and countries of the changes it plans (by a hash join over the
        // whole tables while they had never been analyzed).
        for (String table : List.of(PolicyChange.TABLE, PolicyChange.PLATFORMS, PolicyChange.COUNTRIES)) {
            statistics.refreshSoon(table);
        }
    }

    private static IncomingPolicyChange read(ConsumerRecord<String, byte[]> record) {
        CloudEvent event = CloudEventReader.read(record, TYPE, MAX_BYTES);
        return new IncomingPolicyChange(event.getSource().toString(), event.getId(), record.key(), data(event));
    }

    static PolicyChangeData data(CloudEvent event) {
        try {
            PolicyChangeData data = EventData.read(event, STRICT, PolicyChangeData.class);
            if (data == null) {
                throw new InvalidEventException("data: must be a JSON object");
            }
            return data;
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidEventException(path(e) + ": is not a field of the contract (unknown-field)");
        } catch (JsonMappingException e) {
            throw new InvalidEventException(path(e) + ": has the wrong type (type)");
        } catch (IOException e) {
            throw new InvalidEventException("data: not valid JSON");
        }
    }

    private static ObjectMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        for (CoercionInputShape scalar : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(scalar, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        return mapper;
    }

    private static String path(JsonMappingException e) {
        return "data" + e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining());
    }
}
