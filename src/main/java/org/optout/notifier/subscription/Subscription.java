package org.optout.notifier.subscription;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A confirmed subscriber: their address, preferences, state and proof of consent. */
@Entity
@Table(name = "subscription")
public class Subscription extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true, length = 254)
    public String email;

    @Column(nullable = false, length = 2)
    public String country;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "subscription_platform", joinColumns = @JoinColumn(name = "subscription_id"))
    @Column(name = "platform", nullable = false, length = 32)
    public Set<String> platforms = new TreeSet<>();

    @Convert(converter = LeadDaysConverter.class)
    @Column(name = "lead_days", nullable = false, length = 20)
    public List<Integer> leadDays = new ArrayList<>();

    @Column(name = "send_hour", nullable = false)
    public int sendHour;

    @Column(nullable = false, length = 8)
    public String language;

    @Column(name = "time_zone", nullable = false, length = 64)
    public String timeZone;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public SubscriptionStatus status;

    @Column(name = "token_salt", nullable = false, length = 64)
    public String tokenSalt;

    @Column(name = "manage_token_hash", nullable = false, unique = true, length = 64)
    public String manageTokenHash;

    @Column(name = "unsubscribe_token_hash", nullable = false, unique = true, length = 64)
    public String unsubscribeTokenHash;

    @Enumerated(EnumType.STRING)
    @Column(name = "consent_origin", nullable = false, length = 16)
    public Origin consentOrigin;

    @Column(name = "consent_source", length = 500)
    public String consentSource;

    @Column(name = "consent_requested_at", nullable = false)
    public Instant consentRequestedAt;

    @Column(name = "consent_confirmed_at", nullable = false)
    public Instant consentConfirmedAt;

    /** Consecutive mails refused permanently (5xx); at a configured count the address is suppressed. */
    @Column(nullable = false)
    public int bounces;

    @Column(name = "unsubscribed_at")
    public Instant unsubscribedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Optional<Subscription> findByEmail(String email) {
        return find("email", email).firstResultOptional();
    }

    /** How many active subscribers live in one of {@code countries} and use one of {@code platforms}. */
    public static long countActiveMatching(Set<String> countries, Set<String> platforms) {
        if (countries.isEmpty() || platforms.isEmpty()) {
            return 0;
        }
        // SQL with arrays: HQL's list parameters were translated again for every list's length.
        return ((Number) getEntityManager().createNativeQuery("select count(distinct s.id) from subscription s "
                + "join subscription_platform p on p.subscription_id = s.id "
                + "where s.status = 'ACTIVE' and s.country = any(?1) and p.platform = any(?2)")
                .setParameter(1, countries.toArray(String[]::new))
                .setParameter(2, platforms.toArray(String[]::new))
                .getSingleResult()).longValue();
    }

    public static Optional<Subscription> findByManageToken(String token) {
        return find("manageTokenHash", Tokens.hash(token)).firstResultOptional();
    }

    /** Locked: a second erasure of the same subscriber waits, then finds nothing. */
    public static Optional<Subscription> findByManageTokenForUpdate(String token) {
        return find("manageTokenHash", Tokens.hash(token)).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }

    public static Optional<Subscription> findByUnsubscribeToken(String token) {
        return find("unsubscribeTokenHash", Tokens.hash(token)).firstResultOptional();
    }

    public Subscriber subscriber() {
        return new Subscriber(id, email, language, timeZone, tokenSalt);
    }

    public Preferences preferences() {
        return new Preferences(country, List.copyOf(platforms), List.copyOf(leadDays), sendHour, language, timeZone);
    }

    void apply(Preferences preferences, Instant now) {
        country = preferences.country();
        platforms.clear();
        platforms.addAll(preferences.platforms());
        leadDays = new ArrayList<>(preferences.leadDays());
        sendHour = preferences.sendHour();
        language = preferences.language();
        timeZone = preferences.timeZone();
        updatedAt = now;
    }
}
