package org.optout.notifier.policy;

/**
 * A record on the policy-change topic that breaks the contract. Its message names the field and the rule, and becomes
 * the {@code dead-letter-reason} header of the record on the dead-letter topic.
 */
public class InvalidPolicyChangeException extends RuntimeException {

    public InvalidPolicyChangeException(String reason) {
        super(reason, null, false, false);
    }
}
