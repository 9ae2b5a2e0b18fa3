package org.optout.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SevenBitTest {

    private static final Pattern REFERENCE = Pattern.compile("&#(\\d+);");

    @Test
    void htmlBecomesAsciiAndReadsTheSame() {
        String html = "<p lang=\"zh-HK\">如何退出 · déjà vu 😀 &amp; <a href=\"https://example.org/a?b=1\">x</a></p>\n";

        String ascii = SevenBit.html(html);

        assertThat(ascii.chars()).allMatch(c -> c < 0x80);
        assertThat(REFERENCE.matcher(ascii).replaceAll(r -> Character.toString(Integer.parseInt(r.group(1)))))
                .isEqualTo(html.replace('\n', ' '));
    }

    @Test
    void htmlGoesAsAFewLongLinesRatherThanMany() {
        String paragraph = "<p>Select Data privacy in the left-hand menu.</p>\n";
        String html = "<html>\n<body>\n" + paragraph.repeat(100) + "</body>\n</html>\n";

        String[] lines = SevenBit.html(html).split("\n");

        assertThat(lines.length).isLessThanOrEqualTo(html.length() / SevenBit.MAX_LINE + 2);
        assertThat(lines).allMatch(line -> line.length() <= SevenBit.MAX_LINE);
        assertThat(String.join(" ", lines)).isEqualTo(html.replace('\n', ' '));
    }

    @Test
    void longLinesAreFoldedAtSpacesAndNothingElseChanges() {
        String word = "resumes, ";
        String longLine = word.repeat(2_000 / word.length());
        String text = "Title\n" + longLine + "\n\nlast line";

        String folded = SevenBit.folded(text);

        assertThat(folded.split("\n", -1)).allMatch(line -> line.length() <= SevenBit.MAX_LINE);
        assertThat(folded.replace('\n', ' ')).isEqualTo(text.replace('\n', ' '));
        assertThat(folded).startsWith("Title\nresumes,").endsWith("\n\nlast line");
    }

    @Test
    void shortLinesAndUnbreakableLinesAreLeftAlone() {
        String text = "short\nlines\n";
        String unbreakable = "x".repeat(SevenBit.MAX_LINE * 2);

        assertThat(SevenBit.folded(text)).isSameAs(text);
        assertThat(SevenBit.folded(unbreakable)).isEqualTo(unbreakable);
        assertThat(Arrays.stream(SevenBit.folded(unbreakable + " tail").split("\n"))).containsExactly(unbreakable,
                "tail");
    }
}
