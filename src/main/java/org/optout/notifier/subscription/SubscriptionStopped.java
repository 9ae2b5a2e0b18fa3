package org.optout.notifier.subscription;

/** A subscriber unsubscribed: whatever is pending for them stops, in the same transaction. */
public record SubscriptionStopped(long subscriptionId) {
}
