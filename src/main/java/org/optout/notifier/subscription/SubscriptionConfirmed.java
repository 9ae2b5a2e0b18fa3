package org.optout.notifier.subscription;

/** A subscriber confirmed from their mailbox (fired in the confirming transaction; observe after success). */
public record SubscriptionConfirmed(Subscription subscription) {
}
