package org.optout.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.optout.notifier.delivery.SmtpFailure.Stage;
import org.optout.notifier.delivery.SmtpFailure.Verdict;

/** The exceptions are Jakarta Mail's for each refused command, chained as its SMTP transport chains them. */
class SmtpFailureTest {

    private static final String MAIL_FROM = "MAIL FROM:<noreply@optout.example.org>";
    private static final String RCPT_TO = "RCPT TO:<someone@example.org>";
    private static final String DATA = ".";

    @ParameterizedTest(name = "{1} {2} at {0} is {3}")
    @CsvSource(nullValues = "-", value = {
        // A verdict on the mailbox: a bounce.
        "RCPT TO,   550, 5.1.1, MAILBOX",
        "RCPT TO,   550, 5.1.2, MAILBOX",
        "RCPT TO,   553, 5.1.10, MAILBOX",
        "RCPT TO,   550, 5.2.1, MAILBOX",
        ".,         550, 5.2.1, MAILBOX",
        "RCPT TO,   550, -,     MAILBOX",
        // The relay's policy, the sender, the content, the system: nobody's address is at fault.
        "RCPT TO,   554, 5.7.1, RELAY",
        "RCPT TO,   550, 5.7.1, RELAY",
        ".,         554, 5.7.1, RELAY",
        ".,         554, -,     RELAY",
        ".,         550, -,     RELAY",
        ".,         552, 5.3.4, RELAY",
        "RCPT TO,   501, 5.5.2, RELAY",
        "RCPT TO,   553, -,     RELAY",
        "MAIL FROM, 553, 5.1.8, RELAY",
        "MAIL FROM, 550, 5.1.1, RELAY",
        "MAIL FROM, 550, -,     RELAY",
        "DATA,      554, -,     RELAY",
        // Try again later, whatever the code says about the mailbox.
        "RCPT TO,   450, 4.2.1, TRANSIENT",
        "RCPT TO,   451, 4.1.1, TRANSIENT",
        "MAIL FROM, 421, 4.3.2, TRANSIENT",
    })
    void aReplyIsSortedByItsEnhancedCodeAndStage(String command, int code, String enhanced, Verdict verdict)
            throws Exception {
        String line = code + " " + (enhanced == null ? "" : enhanced + " ") + "<someone@example.org>: refused";
        SmtpFailure failure = SmtpFailure.of(new CompletionException(refusal(command, code, line)));

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
    void theReasonNamesTheStage() throws Exception {
        assertThat(SmtpFailure.of(refusal(MAIL_FROM, 553, "553 5.1.8 Sender rejected")))
                .extracting(SmtpFailure::stage, SmtpFailure::reason)
                .containsExactly(Stage.MAIL_FROM, "SMTP 553 5.1.8 at MAIL_FROM");
        assertThat(SmtpFailure.of(refusal(RCPT_TO, 550, "550 No such user")).reason()).isEqualTo("SMTP 550 at RCPT_TO");
        assertThat(SmtpFailure.of(refusal(DATA, 554, "554-5.7.1 Rejected\n554 5.7.1 policy")).reason())
                .isEqualTo("SMTP 554 5.7.1 at DATA");
    }

    /** As Jakarta Mail's SMTP transport throws it: a refused recipient is the next exception of the send's. */
    private static Exception refusal(String command, int code, String reply) throws Exception {
        InternetAddress someone = new InternetAddress("someone@example.org");
        if (command.startsWith("RCPT")) {
            return new SendFailedException("Invalid Addresses", new SMTPAddressFailedException(someone, command, code,
                    reply));
        }
        SMTPSendFailedException refused = new SMTPSendFailedException(command, code, reply, null, null, null, null);
        if (command.startsWith("MAIL FROM") && code >= 500) {
            refused.setNextException(new SMTPSenderFailedException(someone, command, code, reply));
        }
        return refused;
    }

    @Test
    void aRelayThatCannotBeReachedIsTransient() {
        assertThat(SmtpFailure.of(new RuntimeException(new ConnectException("Connection refused"))))
                .isEqualTo(new SmtpFailure(Verdict.TRANSIENT, Stage.OTHER, null,
                        "SMTP server not reached: ConnectException"));
        assertThat(SmtpFailure.of(new TimeoutException()).retryable()).isTrue();
    }
}
