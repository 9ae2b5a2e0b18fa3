package org.optout.notifier.policy;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.optout.notifier.platform.PlatformCatalogue;
import org.optout.notifier.problem.FieldError;
import org.optout.notifier.problem.InvalidRequestException;
import org.optout.notifier.region.Regions;

/** The public list of policy changes, with their deadlines and opt-out steps. */
@Path("/api/policy-changes")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyChangeResource {

    private final PolicyChangeCatalog catalog;
    private final PlatformCatalogue platforms;

    PolicyChangeResource(PolicyChangeCatalog catalog, PlatformCatalogue platforms) {
        this.catalog = catalog;
        this.platforms = platforms;
    }

    @GET
    @Operation(summary = "Active changes: upcoming deadlines first, then those already in effect; "
            + "filter by country (ISO 3166-1 alpha-2) and platform code")
    public List<PolicyChangeView> list(@QueryParam("country") String country, @QueryParam("platform") String platform) {
        List<FieldError> errors = new ArrayList<>();
        String iso = null;
        if (country != null && !country.isBlank()) {
            iso = Regions.country(country).orElse(null);
            if (iso == null) {
                errors.add(new FieldError("country", "iso-3166-alpha-2", "must be a two-letter ISO 3166-1 code"));
            }
        }
        if (platform != null && !platform.isBlank() && !platforms.contains(platform)) {
            errors.add(new FieldError("platform", "catalogue", "must be one of the platforms at /api/platforms"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return catalog.active(iso, platform == null || platform.isBlank() ? null : platform);
    }
}
