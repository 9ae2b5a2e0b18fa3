package org.optout.notifier.subscription;

/**
 * A subscriber's reminders must be worked out again: they confirmed, came back, or changed their preferences.
 * Fired in the changing transaction; observe after success.
 */
public record SubscriptionChanged(long subscriptionId) {
}
