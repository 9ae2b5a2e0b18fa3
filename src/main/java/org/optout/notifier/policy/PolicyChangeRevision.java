package org.optout.notifier.policy;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/** One accepted revision of a change, as received: the history behind {@link PolicyChange}. */
@Entity
@Table(name = "policy_change_revision")
public class PolicyChangeRevision extends PanacheEntityBase {

    /** From a sequence 500 at a time (V12, V13), so that a poll's inserts go in JDBC batches. */
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "policy_change_revision_seq")
    @SequenceGenerator(name = "policy_change_revision_seq", sequenceName = "policy_change_revision_seq",
            allocationSize = 500)
    public Long id;

    @Column(name = "policy_change_id", nullable = false)
    public Long policyChangeId;

    @Column(nullable = false)
    public int revision;

    @Column(nullable = false, length = 500)
    public String source;

    @Column(name = "event_id", nullable = false, length = 200)
    public String eventId;

    @Column(nullable = false, length = 262144)
    public String data;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
}
