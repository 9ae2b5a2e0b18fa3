package org.optout.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.ext.mail.SMTPException;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class SmtpFailureTest {

    @Test
    void aFiveHundredReplyIsPermanentAndItsTextIsNotKept() {
        SmtpFailure failure = SmtpFailure.of(new CompletionException(new SMTPException("RCPT TO failed", 550,
                List.of("550 5.1.1 <someone@example.org>: no such mailbox"), false)));

        assertThat(failure.permanent()).isTrue();
        assertThat(failure.replyCode()).isEqualTo(550);
        assertThat(failure.reason()).startsWith("SMTP 550").doesNotContain("@");
    }

    @Test
    void aFourHundredReplyIsTransient() {
        SmtpFailure failure = SmtpFailure.of(new SMTPException("MAIL FROM failed", 451,
                List.of("451 4.3.0 try again later"), false));

        assertThat(failure.permanent()).isFalse();
        assertThat(failure.reason()).startsWith("SMTP 451");
    }

    @Test
    void aRelayThatCannotBeReachedIsTransient() {
        assertThat(SmtpFailure.of(new RuntimeException(new ConnectException("Connection refused"))))
                .isEqualTo(new SmtpFailure(false, null, "SMTP server not reached: ConnectException"));
        assertThat(SmtpFailure.of(new TimeoutException()).permanent()).isFalse();
    }
}
