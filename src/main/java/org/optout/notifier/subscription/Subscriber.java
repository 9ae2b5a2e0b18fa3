package org.optout.notifier.subscription;

/**
 * A subscription as a mail needs it: whom to write to, in which language and calendar, and the salt of their links.
 * The dispatcher reads it for thousands of subscribers a second without loading the entity and its platforms.
 */
public record Subscriber(long id, String email, String language, String timeZone, String tokenSalt) {
}
