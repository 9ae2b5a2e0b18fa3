package org.optout.notifier.subscription;

import org.optout.notifier.inbox.BoundedValue;

/** The value deserializer of {@value SubscriptionRequestConsumer#CHANNEL}: nothing over its limit is kept. */
public class SubscriptionRequestValue extends BoundedValue {

    public SubscriptionRequestValue() {
        super(SubscriptionRequestConsumer.MAX_BYTES);
    }
}
