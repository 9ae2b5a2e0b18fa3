package org.optout.notifier.delivery;

/**
 * Readies a rendering once so that it goes as it is, 7bit, instead of being encoded again for every mail: a part that
 * is all ASCII in lines of at most 998 octets (RFC 5322) needs no transfer encoding, so its encoded template keeps the
 * readers' placeholders as written (see {@link MessageTemplate}), and Quarkus's mailer, which sends the same mail for
 * the benchmark's peer, does not quoted-printable encode it byte by byte. So HTML is made ASCII with character
 * references (a browser shows the same), and lines a 7bit part could not carry are folded at a space (a browser sees a
 * space; plain text shows a line break, as mail programs wrap long lines anyway). Plain text beyond ASCII stays as it
 * is and is encoded per mail. HTML, where a line break is a space like any other (the mail templates have no
 * preformatted text), goes as a few long lines instead of dozens.
 */
final class SevenBit {

    /** Well under RFC 5322's 998, leaving room for the links filled in after. */
    static final int MAX_LINE = 800;

    private SevenBit() {
    }

    /**
     * The HTML with every character beyond ASCII as a numeric character reference, its line breaks as spaces, and
     * folded into lines of at most {@link #MAX_LINE}.
     */
    static String html(String html) {
        StringBuilder ascii = new StringBuilder(html.length() + 64);
        html.codePoints().forEach(c -> {
            if (c == '\n' || c == '\r') {
                ascii.append(' ');
            } else if (c < 0x80) {
                ascii.append((char) c);
            } else {
                ascii.append("&#").append(c).append(';');
            }
        });
        return folded(ascii.toString());
    }

    /** The text with each line longer than {@link #MAX_LINE} broken at its last space within it (or its first after). */
    static String folded(String text) {
        if (!hasLongLine(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        int lineStart = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                fold(text, lineStart, i, out);
                if (i < text.length()) {
                    out.append('\n');
                }
                lineStart = i + 1;
            }
        }
        return out.toString();
    }

    private static void fold(String text, int start, int end, StringBuilder out) {
        while (end - start > MAX_LINE) {
            int space = text.lastIndexOf(' ', start + MAX_LINE);
            if (space <= start) {
                space = text.indexOf(' ', start + MAX_LINE);
            }
            if (space < 0 || space >= end) {
                break;
            }
            out.append(text, start, space).append('\n');
            start = space + 1;
        }
        out.append(text, start, end);
    }

    private static boolean hasLongLine(String text) {
        int lineStart = 0;
        for (int newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', lineStart)) {
            if (newline - lineStart > MAX_LINE) {
                return true;
            }
            lineStart = newline + 1;
        }
        return text.length() - lineStart > MAX_LINE;
    }
}
