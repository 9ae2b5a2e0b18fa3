package org.optout.notifier.inbox;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A record a consumer refused, and why: it goes to the channel's dead-letter topic with the reason. */
public record Refusal(ConsumerRecord<String, byte[]> record, RuntimeException reason) {
}
