package org.optout.notifier.subscription;

/** Where a sign-up came from, kept with the consent. */
public enum Origin {
    /** The web form. */
    FORM,
    /** {@code POST /api/subscriptions}. */
    API,
    /** A {@code subscription-requests} event from an organisation (its {@code source} is kept too). */
    KAFKA,
    /** Re-subscribed with the manage link from a mail. */
    MANAGE_LINK
}
