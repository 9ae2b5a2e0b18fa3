package org.optout.notifier.policy;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/** A platform's announced change in how it uses people's data, as published by an organisation. */
@Entity
@Table(name = "policy_change")
public class PolicyChange extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "change_id", nullable = false, unique = true, length = 100)
    public String changeId;

    @Column(nullable = false, length = 500)
    public String source;

    @Column(nullable = false)
    public int revision;

    @Column(nullable = false, length = 200)
    public String title;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    public static Optional<PolicyChange> findByChangeId(String changeId) {
        return find("changeId", changeId).firstResultOptional();
    }
}
