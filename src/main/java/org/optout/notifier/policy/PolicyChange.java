package org.optout.notifier.policy;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A platform's announced change in how it uses people's data, at its latest accepted revision. The columns are what
 * matching and deadlines need; {@link #data} keeps the event's data as received (steps, sources, translations).
 */
@Entity
@Table(name = PolicyChange.TABLE)
public class PolicyChange extends PanacheEntityBase {

    public static final String TABLE = "policy_change";
    public static final String PLATFORMS = "policy_change_platform";
    public static final String COUNTRIES = "policy_change_country";

    /** From a sequence 500 at a time (V12, V13), so that a poll's inserts go in JDBC batches. */
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "policy_change_seq")
    @SequenceGenerator(name = "policy_change_seq", sequenceName = "policy_change_seq", allocationSize = 500)
    public Long id;

    @Column(name = "change_id", nullable = false, unique = true, length = 100)
    public String changeId;

    @Column(nullable = false, length = 500)
    public String source;

    @Column(nullable = false)
    public int revision;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public PolicyChangeStatus status;

    @Column(nullable = false, length = 200)
    public String title;

    @Column(name = "effective_date", nullable = false)
    public LocalDate effectiveDate;

    @Column(name = "effective_at")
    public Instant effectiveAt;

    /** The CloudEvent's {@code data} as received, JSON. */
    @Column(nullable = false, length = 262144)
    public String data;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = PLATFORMS, joinColumns = @JoinColumn(name = "policy_change_id"))
    @Column(name = "platform", nullable = false, length = 32)
    public Set<String> platforms = new TreeSet<>();

    /** The countries affected: the regions expanded, minus the excluded regions. */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = COUNTRIES, joinColumns = @JoinColumn(name = "policy_change_id"))
    @Column(name = "country", nullable = false, length = 2)
    public Set<String> countries = new TreeSet<>();

    /** Active subscribers matching the latest revision when it arrived. */
    public Long audience;

    /** The latest revision's audience exceeded the approval threshold: nothing is planned until an operator approves. */
    @Column(name = "awaiting_approval", nullable = false)
    public boolean awaitingApproval;

    /** The date (or instant) the change takes effect, as one comparable text: a mail that announced it keeps it. */
    public String effectiveKey() {
        return effectiveAt != null ? effectiveAt.toString() : effectiveDate.toString();
    }

    public static Optional<PolicyChange> findByChangeId(String changeId) {
        return find("changeId", changeId).firstResultOptional();
    }

    /** These changes with their platforms and countries, in one query. */
    public static Map<String, PolicyChange> byChangeId(Collection<String> changeIds) {
        return PolicyChange.<PolicyChange>find("select distinct pc from PolicyChange pc left join fetch pc.platforms "
                + "left join fetch pc.countries where pc.changeId in ?1", changeIds).stream()
                .collect(Collectors.toMap(change -> change.changeId, change -> change));
    }
}
