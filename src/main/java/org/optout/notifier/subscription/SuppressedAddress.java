package org.optout.notifier.subscription;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An address kept only as a keyed HMAC ({@link Tokens#emailKey}). {@link #ERASED}: third parties must not sign it up
 * again, its owner still can through the form or the API. {@link #BOUNCING} and {@link #COMPLAINED}: no mail at all
 * goes to it until an operator lifts the suppression ({@link SuppressionList}).
 */
@Entity
@Table(name = "suppressed_address")
public class SuppressedAddress extends PanacheEntityBase {

    public static final String ERASED = "ERASED";
    public static final String BOUNCING = "BOUNCING";
    public static final String COMPLAINED = "COMPLAINED";

    @Id
    @Column(name = "email_key", length = 64)
    public String emailKey;

    @Column(nullable = false, length = 16)
    public String reason;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    static void suppress(String emailKey, String reason, Instant now) {
        if (findById(emailKey) == null) {
            SuppressedAddress suppressed = new SuppressedAddress();
            suppressed.emailKey = emailKey;
            suppressed.reason = reason;
            suppressed.createdAt = now;
            suppressed.persist();
        }
    }

    static boolean isSuppressed(String emailKey) {
        return findById(emailKey) != null;
    }
}
