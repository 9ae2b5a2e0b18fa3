package org.optout.notifier.inbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.regex.Pattern;
import org.optout.notifier.problem.InvalidRequestException;

/**
 * Counts the records each consumer took in ({@code optout_events_consumed_total}), by outcome and, for rejected ones,
 * by the field that broke the contract: few enough values to graph, precise enough to tell a publisher what to fix.
 */
@ApplicationScoped
public class EventMetrics {

    private static final Pattern INDEX = Pattern.compile("\\[\\d+]");
    private static final String UNKNOWN_FIELD = "unknown-field";

    private final MeterRegistry registry;

    EventMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void accepted(String channel, int records) {
        counter(channel, "accepted", "none").increment(records);
    }

    public void rejected(String channel, RuntimeException reason) {
        counter(channel, "rejected", reason(reason)).increment();
    }

    private Counter counter(String channel, String outcome, String reason) {
        return registry.counter("optout.events.consumed", "channel", channel, "outcome", outcome, "reason", reason);
    }

    /**
     * The field of the first broken rule, at most two levels deep ({@code data.platforms}); a field the contract does
     * not know is named by its rule only, since anyone who can publish could otherwise mint label values.
     */
    static String reason(RuntimeException e) {
        boolean contract = e instanceof InvalidEventException || e instanceof InvalidRequestException;
        String message = e.getMessage();
        if (!contract || message == null || !message.contains(":")) {
            return "processing";
        }
        String first = message.split("; ")[0];
        if (first.endsWith("(" + UNKNOWN_FIELD + ")")) {
            return UNKNOWN_FIELD;
        }
        String field = INDEX.matcher(first.substring(0, first.indexOf(':'))).replaceAll("");
        String[] path = field.split("\\.");
        return path.length > 2 ? path[0] + "." + path[1] : field;
    }
}
