package org.optout.notifier.policy;

/** A policy-change event as read from Kafka: its identity, its record key and its data, not yet validated. */
public record IncomingPolicyChange(String source, String id, String key, PolicyChangeData data) {
}
