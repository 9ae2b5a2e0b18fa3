package org.optout.notifier.inbox;

/**
 * A Kafka record that breaks its topic's contract. Its message names the field and the rule, and becomes the
 * {@code dead-letter-reason} header of the record on the dead-letter topic.
 */
public class InvalidEventException extends RuntimeException {

    public InvalidEventException(String reason) {
        super(reason, null, false, false);
    }
}
