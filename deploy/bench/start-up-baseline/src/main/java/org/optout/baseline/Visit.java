package org.optout.baseline;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Entity;
import java.time.Instant;

/** One Panache entity, so that Hibernate ORM and Flyway start as they do in the service. */
@Entity
public class Visit extends PanacheEntity {

    public Instant at;
}
