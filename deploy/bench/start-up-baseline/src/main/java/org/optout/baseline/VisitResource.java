package org.optout.baseline;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotBlank;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** A page (Qute), a validated write (Hibernate Validator, ORM, Kafka), as the service's web and API have. */
@Path("/visits")
public class VisitResource {

    @Inject
    Template visits;

    @Inject
    @Channel("visits-out")
    Emitter<String> emitter;

    @GET
    public TemplateInstance page() {
        return visits.data("count", Visit.count());
    }

    @POST
    @Transactional
    public long visit(@QueryParam("from") @NotBlank String from) {
        Visit visit = new Visit();
        visit.at = Instant.now();
        visit.persist();
        emitter.send(from);
        return visit.id;
    }
}
