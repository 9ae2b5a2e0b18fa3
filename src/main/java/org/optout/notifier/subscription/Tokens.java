package org.optout.notifier.subscription;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.optout.notifier.config.NotifierConfig;

/**
 * Unguessable tokens for the links in mails, and keyed hashes of addresses.
 *
 * <p>Confirmation tokens are 256 random bits, stored as a hash and sent once. Manage and unsubscribe tokens are
 * HMACs of a random per-subscriber salt under {@code notifier.token-key}: the database holds only their hashes,
 * yet every mail can carry them. Erasing a subscriber deletes the salt, so its links die with it.
 */
@ApplicationScoped
public class Tokens {

    private static final int RANDOM_BYTES = 32;
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();
    // A Mac per thread: looking one up among the providers for every hash cost the dispatcher 2-3 % of its samples.
    private final ThreadLocal<Mac> tokenKey;
    private final ThreadLocal<Mac> emailKey;

    Tokens(NotifierConfig config) {
        this.tokenKey = macs(key(config.tokenKey(), "notifier.token-key"));
        this.emailKey = macs(key(config.emailHashKey(), "notifier.email-hash-key"));
    }

    public String newRandomToken() {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return URL.encodeToString(bytes);
    }

    public String newSalt() {
        return newRandomToken();
    }

    public String manageToken(String salt) {
        return URL.encodeToString(hmac(tokenKey, "manage:" + salt));
    }

    public String unsubscribeToken(String salt) {
        return URL.encodeToString(hmac(tokenKey, "unsubscribe:" + salt));
    }

    /** What is stored of a token: its SHA-256, hex. */
    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** What is kept of an address after erasure, and what counters are keyed by: a keyed hash that cannot be reversed. */
    public String emailKey(String normalisedEmail) {
        // Case-folded: Bob@ and bob@ reach the same mailbox almost everywhere, so they share limits and suppression.
        return HexFormat.of().formatHex(hmac(emailKey, normalisedEmail.toLowerCase(java.util.Locale.ROOT)));
    }

    /** A keyed hash of any identifying value (a client IP, say), for counters. */
    public String pseudonym(String value) {
        return HexFormat.of().formatHex(hmac(emailKey, "pseudonym:" + value)).substring(0, 32);
    }

    private static byte[] hmac(ThreadLocal<Mac> macs, String value) {
        // doFinal resets the Mac for the thread's next value.
        return macs.get().doFinal(value.getBytes(StandardCharsets.UTF_8));
    }

    private static ThreadLocal<Mac> macs(SecretKeySpec key) {
        return ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
            }
        });
    }

    private static SecretKeySpec key(String secret, String name) {
        if (secret.length() < 32) {
            throw new IllegalStateException(name + " must be at least 32 characters long");
        }
        return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }
}
