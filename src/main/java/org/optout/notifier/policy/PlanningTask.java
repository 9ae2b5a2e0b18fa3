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

/**
 * A revision whose reminders must be planned (or, for a cancellation, cancelled). Written in the transaction that
 * stores the revision; the planner works it off outside the Kafka consumer's transaction, because one change can
 * match a million subscribers.
 */
@Entity
@Table(name = "planning_task")
public class PlanningTask extends PanacheEntityBase {

    /** From a sequence 500 at a time (V12, V13), so that a poll's inserts go in JDBC batches. */
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "planning_task_seq")
    @SequenceGenerator(name = "planning_task_seq", sequenceName = "planning_task_seq", allocationSize = 500)
    public Long id;

    @Column(name = "change_id", nullable = false, length = 100)
    public String changeId;

    @Column(nullable = false)
    public int revision;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Subscribers up to this id are planned: planning a large change resumes here after a restart. */
    @Column(name = "planned_up_to", nullable = false)
    public long plannedUpTo;

    static void record(String changeId, int revision, Instant now) {
        PlanningTask task = new PlanningTask();
        task.changeId = changeId;
        task.revision = revision;
        task.createdAt = now;
        task.persist();
    }
}
