package org.optout.notifier.reminder;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/** One reminder for one subscriber, change and lead day (unique), due at an instant. */
@Entity
@Table(name = "reminder")
public class Reminder extends Delivery {

    @Column(name = "lead_day", nullable = false)
    public int leadDay;

    @Column(name = "catch_up", nullable = false)
    public boolean catchUp;

    @Column(name = "due_at", nullable = false)
    public Instant dueAt;

    /** {@link org.optout.notifier.policy.PolicyChange#effectiveKey()} as the sent mail announced it. */
    @Column(name = "announced_effective", length = 40)
    public String announcedEffective;
}
