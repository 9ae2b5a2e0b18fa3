package org.optout.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Placeholders become each mail's values; a placeholder-like text with no value (a publisher's) stays as it is. */
class MessageTemplateTest {

    @Test
    void fillsInEveryPlaceholderAndLeavesUnknownOnesAlone() {
        MessageTemplate template = MessageTemplate.of(("To: zzOptoutRecipientzz\r\n\r\n<a href=\"zzOptoutLinkzz/x\">"
                + "zzOptoutLinkzz zzOptoutSomethingElsezz</a>").getBytes(StandardCharsets.US_ASCII));

        byte[] mail = template.fillIn(Map.of("Recipient", bytes("reader@example.org"), "Link", bytes("https://l")));

        assertThat(new String(mail, StandardCharsets.US_ASCII)).isEqualTo("To: reader@example.org\r\n\r\n"
                + "<a href=\"https://l/x\">https://l zzOptoutSomethingElsezz</a>");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
