package org.optout.notifier.outcome;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An outcome waiting to be relayed to {@code notification-outcomes}: a whole structured CloudEvent. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "event_id", nullable = false, length = 64)
    public String eventId;

    @Column(name = "event_key", nullable = false, length = 100)
    public String eventKey;

    @Column(name = "event_type", nullable = false, length = 100)
    public String eventType;

    /** The CloudEvent, JSON. */
    @Column(nullable = false, length = 4000)
    public String payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
