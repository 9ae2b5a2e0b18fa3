package org.optout.notifier.inbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.jackson.JsonCloudEventData;
import java.io.IOException;

/**
 * Binds an event's data to the channel's type. In structured mode the SDK has already parsed the data into a JSON
 * tree, which is bound as it is: writing it back to bytes and parsing them again was a fifth of the policy-change
 * consumer's time. Binary mode and {@code data_base64} give bytes, which are parsed.
 */
public final class EventData {

    private EventData() {
    }

    /** The data as {@code type}, or null for a JSON null; the mapper's rules apply to both forms alike. */
    public static <T> T read(CloudEvent event, ObjectMapper mapper, Class<T> type) throws IOException {
        CloudEventData data = event.getData();
        if (data instanceof JsonCloudEventData json) {
            return mapper.readValue(mapper.treeAsTokens(json.getNode()), type);
        }
        return mapper.readValue(data.toBytes(), type);
    }
}
