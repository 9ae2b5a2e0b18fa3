package org.optout.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.mailer.Mail;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.junit.jupiter.api.Test;

/**
 * Signed mails verify with a DKIM verifier no one here wrote (Apache James jDKIM), given the selector's public key as
 * DNS would publish it; a mail changed after signing does not.
 */
class DkimSignerTest {

    private static final KeyPair KEYS = keys();
    private static final String SDID = "optout.example.org";
    private static final String SELECTOR = "reminders";

    private final DkimSigner signer = new DkimSigner(Clock.fixed(Instant.parse("2026-12-03T09:00:00Z"),
            ZoneOffset.UTC), KEYS.getPrivate(), SDID, SELECTOR);
    private final DKIMVerifier verifier = new DKIMVerifier((method, selector, domain) ->
            SELECTOR.contentEquals(selector) && SDID.contentEquals(domain)
                    ? List.of("v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(KEYS.getPublic().getEncoded()))
                    : List.of());

    @Test
    void aSignedMailVerifies() throws Exception {
        byte[] signed = signer.sign(message());

        List<SignatureRecord> verified = verifier.verify(new ByteArrayInputStream(signed));

        assertThat(verified).singleElement().satisfies(signature -> {
            assertThat(signature.getDToken()).hasToString(SDID);
            assertThat(signature.getSelector()).hasToString(SELECTOR);
            assertThat(signature.getHeaders()).extracting(CharSequence::toString)
                    .contains("from", "to", "subject", "date", "message-id", "list-unsubscribe");
        });
        assertThat(new String(signed, StandardCharsets.US_ASCII)).startsWith("DKIM-Signature: v=1; a=rsa-sha256; "
                + "c=relaxed/relaxed; d=optout.example.org; s=reminders; t=1796288400; ");
    }

    @Test
    void aMailChangedAfterSigningDoesNotVerify() {
        String signed = new String(signer.sign(message()), StandardCharsets.US_ASCII);
        byte[] changed = signed.replace("/unsubscribe/t", "/unsubscribe/x").getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> verifier.verify(new ByteArrayInputStream(changed)))
                .isInstanceOf(FailException.class);
    }

    /** A reminder-like mail as MimeWriter encodes it: bare LFs in its 7bit parts, an attachment. */
    private static byte[] message() {
        Mail mail = Mail.withText("reader@example.org", "Act by 1 Jan", "text  with   spaces \nand lines\n\n\n")
                .setHtml("<p>html</p>")
                .addHeader("List-Unsubscribe", "<https://optout.example.org/unsubscribe/t>")
                .addHeader("Message-ID", "<reminders-7@optout-notifier>")
                .addAttachment("opt-out-deadlines.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
                        .getBytes(StandardCharsets.US_ASCII), "text/calendar; method=PUBLISH");
        return new MimeWriter("optout-notifier <noreply@optout.example.org>").encode(mail).message();
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
