package org.optout.notifier.subscription;

/** A sign-up that passed validation: the normalised address and preferences. */
public record ValidatedRequest(String email, Preferences preferences, TimeZoneChoice timeZoneChoice) {

    /** How the time zone was chosen, reported back so that a subscriber can correct it. */
    public enum TimeZoneChoice { GIVEN, COUNTRY_DEFAULT }
}
