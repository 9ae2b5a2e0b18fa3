package org.optout.notifier.problem;

/** One rule a field of a request broke, e.g. {@code email} / {@code format} / "must be an email address". */
public record FieldError(String field, String rule, String message) {

    @Override
    public String toString() {
        return field + ": " + message + " (" + rule + ")";
    }
}
