package org.optout.notifier.subscription;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/** A sign-up whose confirmation mail went out: it waits for the click, and is purged when its link expires. */
@Entity
@Table(name = "subscription_confirmation")
public class PendingConfirmation extends PanacheEntityBase {

    @Id
    @Column(name = "token_hash", length = 64)
    public String tokenHash;

    @Embedded
    public RequestDetails details;

    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    public static Optional<PendingConfirmation> findValid(String token, Instant now) {
        return find("tokenHash = ?1 and expiresAt > ?2", Tokens.hash(token), now).firstResultOptional();
    }

    /** Locked: a double click waits for the first confirmation, then finds the link used. */
    public static Optional<PendingConfirmation> findValidForUpdate(String token, Instant now) {
        return find("tokenHash = ?1 and expiresAt > ?2", Tokens.hash(token), now)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    public static long deleteForEmail(String email) {
        return delete("details.email", email);
    }

    public static long purgeExpired(Instant now) {
        return delete("expiresAt <= ?1", now);
    }
}
