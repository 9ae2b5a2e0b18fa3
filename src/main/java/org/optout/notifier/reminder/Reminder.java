package org.optout.notifier.reminder;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One reminder for one subscriber, change and lead day (unique), due at an instant. */
@Entity
@Table(name = "reminder")
public class Reminder extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "subscription_id", nullable = false)
    public long subscriptionId;

    @Column(name = "change_id", nullable = false, length = 100)
    public String changeId;

    @Column(nullable = false)
    public int revision;

    @Column(name = "lead_day", nullable = false)
    public int leadDay;

    @Column(name = "catch_up", nullable = false)
    public boolean catchUp;

    @Column(name = "due_at", nullable = false)
    public Instant dueAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public ReminderStatus status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
