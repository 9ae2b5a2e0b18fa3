package org.optout.notifier.subscription;

import java.time.Instant;

/** A subscriber's state and preferences as the manage link shows them. */
public record SubscriptionView(String email, String status, Preferences preferences, Instant unsubscribedAt) {

    static SubscriptionView of(Subscription subscription) {
        return new SubscriptionView(subscription.email, subscription.status.name(), subscription.preferences(),
                subscription.unsubscribedAt);
    }
}
