package org.optout.notifier.subscription;

/**
 * The answer to every valid sign-up, whether the address is new, pending or already active: the same words, and the
 * preferences as they will be used (including the time zone that was chosen and how). The address is not echoed, so
 * that the body is byte for byte the same for the same preferences.
 */
public record SignUpAccepted(String message, Preferences preferences, String timeZoneChoice) {

    static final String MESSAGE = "Thank you. If this address can receive mail, a message is on its way to it: "
            + "follow its link to confirm. Nothing changes until then.";

    static SignUpAccepted of(ValidatedRequest request) {
        return new SignUpAccepted(MESSAGE, request.preferences(), request.timeZoneChoice().name());
    }
}
