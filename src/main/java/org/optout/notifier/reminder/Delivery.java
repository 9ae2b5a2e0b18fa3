package org.optout.notifier.reminder;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;

/** A mail to one subscriber about one change, with its delivery attempts: a reminder or a follow-up. */
@MappedSuperclass
public abstract class Delivery extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "subscription_id", nullable = false)
    public long subscriptionId;

    @Column(name = "change_id", nullable = false, length = 100)
    public String changeId;

    @Column(nullable = false)
    public int revision;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public ReminderStatus status;

    /** When the dispatcher may next try: the due instant, later after a transient failure. */
    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(nullable = false)
    public int attempts;

    /** Why the last attempt failed (an SMTP reply code and class), never an address. */
    @Column(length = 200)
    public String failure;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
