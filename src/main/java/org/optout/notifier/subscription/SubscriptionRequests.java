package org.optout.notifier.subscription;

/** Shared request values. */
final class SubscriptionRequests {

    /** A request with no fields: validation then names every required one. */
    static final SubscriptionRequest EMPTY = new SubscriptionRequest(null, null, null, null, null, null, null);

    private SubscriptionRequests() {
    }
}
