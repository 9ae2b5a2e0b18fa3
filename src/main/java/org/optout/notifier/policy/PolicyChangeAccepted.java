package org.optout.notifier.policy;

/** Fired when a policy change (or a newer revision of one) has been stored. */
public record PolicyChangeAccepted(String changeId, int revision, String title) {
}
