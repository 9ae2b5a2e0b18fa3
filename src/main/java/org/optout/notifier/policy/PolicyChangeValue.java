package org.optout.notifier.policy;

import org.optout.notifier.inbox.BoundedValue;

/** The value deserializer of {@value PolicyChangeConsumer#CHANNEL}: nothing over its limit is kept. */
public class PolicyChangeValue extends BoundedValue {

    public PolicyChangeValue() {
        super(PolicyChangeConsumer.MAX_BYTES);
    }
}
