package org.optout.notifier.reminder;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

/**
 * A short mail to a subscriber already reminded of a change that then moved its date or was called off; at most one
 * per subscriber, change and revision.
 */
@Entity
@Table(name = "follow_up")
public class FollowUp extends Delivery {

    public enum Kind {
        DEADLINE_MOVED, NO_LONGER_NEEDED
    }

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    public Kind kind;
}
