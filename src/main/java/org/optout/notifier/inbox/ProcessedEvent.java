package org.optout.notifier.inbox;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * A CloudEvent ({@code source} + {@code id}) whose effect has been committed. Written in the same transaction as that
 * effect, so a redelivered event is recognised and skipped: at-least-once delivery becomes effectively once.
 */
@Entity
@Table(name = "processed_event")
public class ProcessedEvent extends PanacheEntityBase {

    @EmbeddedId
    public EventKey key;

    @Column(name = "processed_at", nullable = false)
    public Instant processedAt;

    /** The identity of a CloudEvent. */
    @Embeddable
    public static class EventKey implements Serializable {

        @Column(name = "source", nullable = false, length = 500)
        public String source;

        @Column(name = "event_id", nullable = false, length = 200)
        public String eventId;

        protected EventKey() {
        }

        public EventKey(String source, String eventId) {
            this.source = source;
            this.eventId = eventId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof EventKey that && source.equals(that.source) && eventId.equals(that.eventId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(source, eventId);
        }
    }
}
