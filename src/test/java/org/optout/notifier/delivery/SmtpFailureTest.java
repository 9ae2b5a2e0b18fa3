package org.optout.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.ext.mail.SMTPException;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.optout.notifier.delivery.SmtpFailure.Stage;
import org.optout.notifier.delivery.SmtpFailure.Verdict;

/** The messages are the mail client's own for each refused command (Vert.x mail's SMTPSendMail). */
class SmtpFailureTest {

    private static final String MAIL_FROM = "sender address not accepted";
    private static final String RCPT_TO = "recipient address not accepted";
    private static final String DATA = "sending data failed";

    @ParameterizedTest(name = "{1} {2} at {0} is {3}")
    @CsvSource(nullValues = "-", value = {
        // A verdict on the mailbox: a bounce.
        "recipient address not accepted, 550, 5.1.1, MAILBOX",
        "recipient address not accepted, 550, 5.1.2, MAILBOX",
        "recipient address not accepted, 553, 5.1.10, MAILBOX",
        "recipient address not accepted, 550, 5.2.1, MAILBOX",
        "sending data failed,            550, 5.2.1, MAILBOX",
        "recipient address not accepted, 550, -,     MAILBOX",
        // The relay's policy, the sender, the content, the system: nobody's address is at fault.
        "recipient address not accepted, 554, 5.7.1, RELAY",
        "recipient address not accepted, 550, 5.7.1, RELAY",
        "sending data failed,            554, 5.7.1, RELAY",
        "sending data failed,            554, -,     RELAY",
        "sending data failed,            550, -,     RELAY",
        "sending data failed,            552, 5.3.4, RELAY",
        "recipient address not accepted, 501, 5.5.2, RELAY",
        "recipient address not accepted, 553, -,     RELAY",
        "sender address not accepted,    553, 5.1.8, RELAY",
        "sender address not accepted,    550, 5.1.1, RELAY",
        "sender address not accepted,    550, -,     RELAY",
        "DATA command not accepted,      554, -,     RELAY",
        // Try again later, whatever the code says about the mailbox.
        "recipient address not accepted, 450, 4.2.1, TRANSIENT",
        "recipient address not accepted, 451, 4.1.1, TRANSIENT",
        "sender address not accepted,    421, 4.3.2, TRANSIENT",
    })
    void aReplyIsSortedByItsEnhancedCodeAndStage(String message, int code, String enhanced, Verdict verdict) {
        String line = code + " " + (enhanced == null ? "" : enhanced + " ") + "<someone@example.org>: refused";
        SmtpFailure failure = SmtpFailure.of(new CompletionException(
                new SMTPException(message, code, List.of(line), code >= 500)));

        assertThat(failure.verdict()).isEqualTo(verdict);
        assertThat(failure.bounce()).isEqualTo(verdict == Verdict.MAILBOX);
        assertThat(failure.retryable()).isEqualTo(verdict != Verdict.MAILBOX);
        assertThat(failure.replyCode()).isEqualTo(code);
        assertThat(failure.reason()).startsWith("SMTP " + code).doesNotContain("@").doesNotContain("refused");
        if (enhanced != null) {
            assertThat(failure.reason()).contains(" " + enhanced + " ");
        }
    }

    @Test
    void theReasonNamesTheStage() {
        assertThat(SmtpFailure.of(new SMTPException(MAIL_FROM, 553, List.of("553 5.1.8 Sender rejected"), true)))
                .extracting(SmtpFailure::stage, SmtpFailure::reason)
                .containsExactly(Stage.MAIL_FROM, "SMTP 553 5.1.8 at MAIL_FROM");
        assertThat(SmtpFailure.of(new SMTPException(RCPT_TO, 550, List.of("550 No such user"), true)).reason())
                .isEqualTo("SMTP 550 at RCPT_TO");
        assertThat(SmtpFailure.of(new SMTPException(DATA, 554, List.of("554-5.7.1 Rejected", "554 5.7.1 policy"),
                true)).reason()).isEqualTo("SMTP 554 5.7.1 at DATA");
    }

    @Test
    void aRelayThatCannotBeReachedIsTransient() {
        assertThat(SmtpFailure.of(new RuntimeException(new ConnectException("Connection refused"))))
                .isEqualTo(new SmtpFailure(Verdict.TRANSIENT, Stage.OTHER, null,
                        "SMTP server not reached: ConnectException"));
        assertThat(SmtpFailure.of(new TimeoutException()).retryable()).isTrue();
    }
}
