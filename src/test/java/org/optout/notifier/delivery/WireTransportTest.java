package org.optout.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The message as the DATA command carries it: leading dots doubled, a CRLF at the end, nothing else touched. */
class WireTransportTest {

    @Test
    void everyLineStartingWithADotGetsAnother() {
        assertThat(wire(".first\r\nmiddle.\r\n.\r\n..two\r\nlast\r\n"))
                .isEqualTo("..first\r\nmiddle.\r\n..\r\n...two\r\nlast\r\n");
    }

    @Test
    void aMessageWithoutLeadingDotsIsTheSameArray() {
        byte[] message = "Subject: s\r\n\r\nno dots. here.\r\n".getBytes(StandardCharsets.US_ASCII);

        assertThat(WireTransport.dotStuffed(message)).isSameAs(message);
    }

    @Test
    void aMessageEndsWithCrlfSoThatTheTerminatingDotStandsOnItsOwnLine() {
        assertThat(wire("Subject: s\r\n\r\nbody")).isEqualTo("Subject: s\r\n\r\nbody\r\n");
        assertThat(wire("Subject: s\r\n\r\n.")).isEqualTo("Subject: s\r\n\r\n..\r\n");
    }

    private static String wire(String message) {
        return new String(WireTransport.dotStuffed(message.getBytes(StandardCharsets.US_ASCII)),
                StandardCharsets.US_ASCII);
    }
}
