package org.optout.notifier.subscription;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A validated sign-up waiting for {@link RequestProcessor}. Accepting a request costs the caller this one insert
 * whatever the state of the address, so the response cannot tell new, pending and active addresses apart.
 */
@Entity
@Table(name = "subscription_request")
public class ReceivedRequest extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "subscription_request_seq")
    @SequenceGenerator(name = "subscription_request_seq", sequenceName = "subscription_request_seq",
            allocationSize = 500)
    public Long id;

    @Embedded
    public RequestDetails details;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;
}
