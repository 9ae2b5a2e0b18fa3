package org.optout.notifier.subscription;

/** A subscriber unsubscribed or is being erased: whatever is pending for them stops, in the same transaction. */
public record SubscriptionStopped(long subscriptionId) {
}
