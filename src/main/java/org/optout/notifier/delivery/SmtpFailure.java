package org.optout.notifier.delivery;

import jakarta.mail.MessagingException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * Why a mail was not accepted, sorted by what it says about the recipient. Only a verdict on the mailbox is a bounce
 * (it counts towards suppressing the address); a relay refusing the sender, the message or on policy says nothing
 * about the recipient, and a misconfigured relay must not suppress the audience. Sorted by the enhanced status code
 * (RFC 3463) and the stage of the SMTP dialogue. The reason names the reply code, the enhanced code and the stage
 * only: the reply text can quote the address.
 */
public record SmtpFailure(Verdict verdict, Stage stage, Integer replyCode, String reason) {

    /** What the failure says, and so what is done with the mail. */
    public enum Verdict {
        /** A 4xx reply, a refused connection, a timeout: trying again later may work. */
        TRANSIENT,
        /** A 5xx verdict on the recipient's mailbox: the address cannot be mailed; the mail fails, it is a bounce. */
        MAILBOX,
        /**
         * Any other 5xx: the relay refuses the sender, the content or on policy (5.7.x, 5.3.x, 5.5.x, any rejection of
         * MAIL FROM). Nobody's address is at fault: the mail is retried while an operator puts the relay right.
         */
        RELAY
    }

    /** Where in the SMTP dialogue the relay said no (OTHER: the greeting, or no dialogue at all). */
    public enum Stage {
        MAIL_FROM, RCPT_TO, DATA, OTHER
    }

    /** RFC 3463 codes that judge the mailbox: bad address, bad system address, no such domain, mailbox disabled. */
    private static final Set<String> MAILBOX_CODES = Set.of("5.1.1", "5.1.2", "5.1.10", "5.2.1");
    private static final Pattern ENHANCED = Pattern.compile("^(?:\\d{3}[ -])?([245]\\.\\d{1,3}\\.\\d{1,3})(?:\\s|$)");

    public static SmtpFailure of(Throwable failure) {
        for (Throwable cause : chain(failure)) {
            if (cause instanceof SMTPAddressFailedException rcpt) {
                return of(rcpt.getReturnCode(), rcpt.getMessage(), Stage.RCPT_TO);
            }
            if (cause instanceof SMTPSenderFailedException sender) {
                return of(sender.getReturnCode(), sender.getMessage(), Stage.MAIL_FROM);
            }
            if (cause instanceof SMTPSendFailedException refused) {
                return of(refused.getReturnCode(), refused.getMessage(), stage(refused.getCommand()));
            }
        }
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new SmtpFailure(Verdict.TRANSIENT, Stage.OTHER, null,
                "SMTP server not reached: " + root.getClass().getSimpleName());
    }

    private static SmtpFailure of(int code, String reply, Stage stage) {
        String enhanced = enhancedCode(reply);
        String reason = "SMTP " + code + (enhanced == null ? "" : " " + enhanced) + " at " + stage;
        return new SmtpFailure(verdict(code, enhanced, stage), stage, code, reason);
    }

    /**
     * The failure, its causes and the exceptions Jakarta Mail chains to them (a refused recipient is the "next" of a
     * SendFailedException, the sender's of the MAIL FROM's).
     */
    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Deque<Throwable> left = new ArrayDeque<>(List.of(failure));
        while (!left.isEmpty() && chain.size() < 16) {
            Throwable next = left.pop();
            chain.add(next);
            if (next instanceof MessagingException messaging && messaging.getNextException() != null
                    && messaging.getNextException() != next.getCause()) {
                left.push(messaging.getNextException());
            }
            if (next.getCause() != null) {
                left.push(next.getCause());
            }
        }
        return chain;
    }

    static Verdict verdict(int code, String enhanced, Stage stage) {
        if (code < 500) {
            return Verdict.TRANSIENT;
        }
        if (stage == Stage.MAIL_FROM) {
            return Verdict.RELAY;
        }
        if (enhanced != null) {
            return MAILBOX_CODES.contains(enhanced) ? Verdict.MAILBOX : Verdict.RELAY;
        }
        return code == 550 && stage == Stage.RCPT_TO ? Verdict.MAILBOX : Verdict.RELAY;
    }

    /** The command the relay refused, as Jakarta Mail names it. */
    static Stage stage(String command) {
        String text = command == null ? "" : command.toUpperCase(Locale.ROOT);
        if (text.startsWith("MAIL FROM")) {
            return Stage.MAIL_FROM;
        }
        if (text.startsWith("RCPT")) {
            return Stage.RCPT_TO;
        }
        if (text.startsWith("DATA") || text.equals(".") || text.startsWith("BDAT")) {
            return Stage.DATA;
        }
        return Stage.OTHER;
    }

    /** The first enhanced code in the reply, whose lines Jakarta Mail joins. */
    private static String enhancedCode(String reply) {
        for (String line : (reply == null ? "" : reply).split("\\R")) {
            Matcher m = ENHANCED.matcher(line.strip());
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    /** Worth another attempt later: anything but a verdict on the mailbox. */
    public boolean retryable() {
        return verdict != Verdict.MAILBOX;
    }

    public boolean bounce() {
        return verdict == Verdict.MAILBOX;
    }
}
