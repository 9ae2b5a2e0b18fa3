package org.optout.notifier.subscription;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An address that third parties must not sign up again, kept only as a keyed HMAC ({@link Tokens#emailKey}).
 * Erasure puts an address here; its owner can still sign up through the form or the API and confirm.
 */
@Entity
@Table(name = "suppressed_address")
public class SuppressedAddress extends PanacheEntityBase {

    public static final String ERASED = "ERASED";

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
