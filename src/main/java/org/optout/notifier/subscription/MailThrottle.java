package org.optout.notifier.subscription;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;

/**
 * When an address last got a confirmation or "already subscribed" mail, keyed by an HMAC of the address. Limits
 * those mails to one per interval per address, silently: the sender of the request is not told.
 */
@Entity
@Table(name = "mail_throttle")
public class MailThrottle extends PanacheEntityBase {

    @Id
    @Column(name = "email_key", length = 64)
    public String emailKey;

    @Column(name = "last_sent_at", nullable = false)
    public Instant lastSentAt;

    /** Takes the address's slot for {@code interval} in the current transaction; false if it is taken. */
    static boolean tryTake(String emailKey, Instant now, Duration interval) {
        MailThrottle throttle = findById(emailKey, LockModeType.PESSIMISTIC_WRITE);
        if (throttle == null) {
            throttle = new MailThrottle();
            throttle.emailKey = emailKey;
        } else if (throttle.lastSentAt.plus(interval).isAfter(now)) {
            return false;
        }
        throttle.lastSentAt = now;
        throttle.persist();
        return true;
    }

    static long purge(Instant before) {
        return delete("lastSentAt < ?1", before);
    }
}
