package org.optout.notifier.subscription;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;

/** What a sign-up asked for and where it came from: kept while it is queued, then while it awaits confirmation. */
@Embeddable
public class RequestDetails {

    @Column(nullable = false, length = 254)
    public String email;

    /** {@link Preferences} as JSON. */
    @Column(nullable = false, length = 4000)
    public String preferences;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public Origin origin;

    @Column(length = 500)
    public String source;

    protected RequestDetails() {
    }

    RequestDetails(String email, String preferences, Origin origin, String source) {
        this.email = email;
        this.preferences = preferences;
        this.origin = origin;
        this.source = source;
    }

    /** An embeddable belongs to one entity: the next stage of a request gets its own copy. */
    RequestDetails copy() {
        return new RequestDetails(email, preferences, origin, source);
    }
}
