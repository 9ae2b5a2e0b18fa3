package org.optout.notifier.problem;

import java.util.List;

/**
 * Characters no text of ours may carry into a mail, a page or a log line: controls and line breaks (which split
 * headers and log lines) and the bidirectional embeddings, overrides and isolates (U+202A to U+202E, U+2066 to
 * U+2069), with which a title can show a reader something other than what it says. The marks (U+200E, U+200F) stay
 * allowed: right-to-left text needs them and they reorder nothing around them.
 */
public final class UnsafeCharacters {

    public static final String RULE = "no-control-characters";
    public static final String MESSAGE = "must not contain line breaks, control characters or bidirectional overrides";

    private UnsafeCharacters() {
    }

    /** Adds the broken rule for {@code field} when {@code value} has one; whether it did. */
    public static boolean check(String value, String field, List<FieldError> errors) {
        boolean unsafe = unsafe(value);
        if (unsafe) {
            errors.add(new FieldError(field, RULE, MESSAGE));
        }
        return unsafe;
    }

    /** A loop, not a stream of chars: every text of every policy change passes here (a tenth of its validation). */
    private static boolean unsafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (unsafe(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    static boolean unsafe(int c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c >= '\u202A' && c <= '\u202E'
                || c >= '\u2066' && c <= '\u2069';
    }
}
