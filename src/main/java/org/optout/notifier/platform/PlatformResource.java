package org.optout.notifier.platform;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Serves the platform catalogue. */
@Path("/api/platforms")
@Produces(MediaType.APPLICATION_JSON)
public class PlatformResource {

    private final PlatformCatalogue catalogue;

    PlatformResource(PlatformCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @GET
    @Operation(summary = "The platforms that subscriptions and policy changes can name")
    public List<PlatformCatalogue.Platform> platforms() {
        return catalogue.all();
    }
}
