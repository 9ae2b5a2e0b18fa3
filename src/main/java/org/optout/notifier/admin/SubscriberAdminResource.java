package org.optout.notifier.admin;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.optout.notifier.subscription.SubscriberCounts;

/** Subscribers counted for operators; there is no way to list or look up a subscriber here. */
@Path("/api/admin/subscribers")
@RolesAllowed(AdminRole.NAME)
@Tag(name = "Admin")
@SecurityRequirement(name = "admin")
@Produces(MediaType.APPLICATION_JSON)
public class SubscriberAdminResource {

    @GET
    @Path("/counts")
    @Transactional
    @Operation(summary = "Active subscribers in total, by country and by platform")
    public SubscriberCounts counts() {
        return SubscriberCounts.now();
    }
}
