package org.optout.notifier.subscription;

/**
 * The state of a confirmed subscriber. A sign-up that awaits its confirmation click is "pending": it lives as a
 * {@link PendingConfirmation}, not yet as a {@link Subscription}.
 */
public enum SubscriptionStatus {
    ACTIVE,
    UNSUBSCRIBED
}
