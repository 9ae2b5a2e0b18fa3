package org.optout.notifier.subscription;

import java.time.Instant;
import java.util.List;

/** Everything the service keeps about a subscriber (GDPR Art. 15 and 20), as they download it. */
public record SubscriptionExport(String email, String status, Preferences preferences, Consent consent,
        Instant createdAt, Instant updatedAt, Instant unsubscribedAt, List<String> notes) {

    /** Proof of consent: how and when the subscriber asked, and when they confirmed from their mailbox. */
    public record Consent(String origin, String source, Instant requestedAt, Instant confirmedAt) {
    }
}
