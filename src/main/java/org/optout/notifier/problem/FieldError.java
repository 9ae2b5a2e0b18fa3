package org.optout.notifier.problem;

import java.util.List;
import java.util.stream.Collectors;

/** One rule a field of a request broke, e.g. {@code email} / {@code format} / "must be an email address". */
public record FieldError(String field, String rule, String message) {

    /** How many errors a one-line summary (a log line, a dead letter's reason) names before "and N more". */
    static final int SUMMARISED = 20;

    /** The errors on one line, the first {@value #SUMMARISED} of them: a hostile record can break thousands of rules. */
    public static String summary(List<FieldError> errors) {
        String named = errors.stream().limit(SUMMARISED).map(FieldError::toString).collect(Collectors.joining("; "));
        return errors.size() <= SUMMARISED ? named : named + "; and " + (errors.size() - SUMMARISED) + " more";
    }

    @Override
    public String toString() {
        return field + ": " + message + " (" + rule + ")";
    }
}
