package org.optout.notifier.subscription;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Validation, normalisation and log masking of email addresses. */
public final class EmailAddresses {

    public static final int MAX_LENGTH = 254;

    private static final Pattern LOCAL_PART = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern DOMAIN = Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]");

    private EmailAddresses() {
    }

    /**
     * The address as stored: trimmed, the domain lower-cased (and IDN in ASCII form), the local part as given.
     * Empty when it is not a deliverable-looking address.
     */
    public static Optional<String> normalise(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String address = raw.strip();
        int at = address.lastIndexOf('@');
        if (at <= 0 || at > 64 || at == address.length() - 1) {
            return Optional.empty();
        }
        String local = address.substring(0, at);
        String domain;
        try {
            domain = IDN.toASCII(address.substring(at + 1), IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String normalised = local + "@" + domain;
        if (normalised.length() > MAX_LENGTH || !LOCAL_PART.matcher(local).matches()
                || !DOMAIN.matcher(domain).matches()) {
            return Optional.empty();
        }
        return Optional.of(normalised);
    }

    /** For logs: {@code a***@example.org}. The domain stays readable for delivery problems, the mailbox does not. */
    public static String mask(String address) {
        if (address == null) {
            return "";
        }
        int at = address.lastIndexOf('@');
        return at <= 0 ? "***" : address.charAt(0) + "***" + address.substring(at);
    }
}
