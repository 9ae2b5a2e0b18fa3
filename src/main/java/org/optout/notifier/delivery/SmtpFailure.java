package org.optout.notifier.delivery;

import io.vertx.ext.mail.SMTPException;

/**
 * Why a mail was not accepted, sorted the way retries need it: permanent (a 5xx reply: the address or the content is
 * refused, trying again will not help) or transient (a 4xx reply, a refused connection, a timeout). The reason names
 * the reply code and enhanced status only: the reply text can quote the address.
 */
public record SmtpFailure(boolean permanent, Integer replyCode, String reason) {

    public static SmtpFailure of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SMTPException smtp) {
                String enhanced = smtp.getEnhancedStatus() == null ? "" : " (" + smtp.getEnhancedStatus() + ")";
                return new SmtpFailure(smtp.isPermanent(), smtp.getReplyCode(),
                        "SMTP " + smtp.getReplyCode() + enhanced);
            }
        }
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new SmtpFailure(false, null, "SMTP server not reached: " + root.getClass().getSimpleName());
    }
}
