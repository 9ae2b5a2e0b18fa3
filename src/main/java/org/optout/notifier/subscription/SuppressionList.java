package org.optout.notifier.subscription;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Addresses no mail goes to: bouncing (permanent failures, counted by the dispatcher, or a provider's bounce notice)
 * or complaining (a spam report). Kept as HMACs like every suppression, so the list holds no address in clear.
 */
@ApplicationScoped
public class SuppressionList {

    /** Why an address is suppressed for delivery. */
    public enum Reason {
        BOUNCE(SuppressedAddress.BOUNCING), COMPLAINT(SuppressedAddress.COMPLAINED);

        final String stored;

        Reason(String stored) {
            this.stored = stored;
        }
    }

    private final Tokens tokens;
    private final Clock clock;

    SuppressionList(Tokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    /** In the caller's transaction; an erased address's row takes the stronger reason. */
    @Transactional
    public void suppress(String email, Reason reason) {
        String key = tokens.emailKey(email);
        SuppressedAddress row = SuppressedAddress.findById(key);
        if (row == null) {
            SuppressedAddress.suppress(key, reason.stored, clock.instant());
        } else if (!blocksMail(row)) {
            row.reason = reason.stored;
            row.createdAt = clock.instant();
        }
        Log.infof("Address %s suppressed: %s", EmailAddresses.mask(email), reason);
    }

    /** Lets mail go to the address again; true if it was suppressed for delivery. */
    @Transactional
    public boolean lift(String email) {
        SuppressedAddress row = SuppressedAddress.findById(tokens.emailKey(email));
        if (row == null || !blocksMail(row)) {
            return false;
        }
        row.delete();
        Log.infof("Suppression of %s lifted", EmailAddresses.mask(email));
        return true;
    }

    /** Which of these addresses mail must not go to, asked in one query (a batch of reminders asks for a hundred). */
    @Transactional
    public Set<String> blockingMailTo(Collection<String> emails) {
        Map<String, String> byKey = new HashMap<>();
        emails.forEach(email -> byKey.put(tokens.emailKey(email), email));
        Set<String> blocked = new HashSet<>();
        if (byKey.isEmpty()) {
            return blocked;
        }
        // SQL rather than HQL: Hibernate translates an HQL list of keys again for every length of it.
        @SuppressWarnings("unchecked")
        List<String> suppressed = SuppressedAddress.getEntityManager().createNativeQuery(
                "select a.email_key from suppressed_address a where a.email_key = any(?1) and a.reason <> ?2")
                .setParameter(1, byKey.keySet().toArray(String[]::new)).setParameter(2, SuppressedAddress.ERASED)
                .getResultList();
        suppressed.forEach(key -> blocked.add(byKey.get(key)));
        return blocked;
    }

    /** Suppressed addresses by reason (erased ones included), for the operator. */
    @Transactional
    public Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        SuppressedAddress.getEntityManager()
                .createQuery("select a.reason, count(a) from SuppressedAddress a group by a.reason", Object[].class)
                .getResultList().forEach(row -> counts.put((String) row[0], (Long) row[1]));
        return counts;
    }

    static boolean blocksMail(String emailKey) {
        SuppressedAddress row = SuppressedAddress.findById(emailKey);
        return row != null && blocksMail(row);
    }

    private static boolean blocksMail(SuppressedAddress row) {
        return !SuppressedAddress.ERASED.equals(row.reason);
    }
}
