package org.optout.notifier.delivery;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A replica that sends, and when it last said so: the replicas seen recently share the relay's quota. */
@Entity
@Table(name = "sending_replica")
public class SendingReplica extends PanacheEntityBase {

    @Id
    @Column(length = 36)
    public String id;

    @Column(name = "seen_at", nullable = false)
    public Instant seenAt;
}
