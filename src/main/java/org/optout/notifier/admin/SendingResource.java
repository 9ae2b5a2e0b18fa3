package org.optout.notifier.admin;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.optout.notifier.reminder.SendingSwitch;

/** The global pause of reminder mail, for every instance at once. */
@Path("/api/admin/sending")
@RolesAllowed(AdminRole.NAME)
@Tag(name = "Admin")
@SecurityRequirement(name = "admin")
@Produces(MediaType.APPLICATION_JSON)
public class SendingResource {

    private final SendingSwitch sending;

    SendingResource(SendingSwitch sending) {
        this.sending = sending;
    }

    @GET
    @Operation(summary = "Whether reminder mail is paused, and since when")
    public SendingSwitch.State state() {
        return sending.state();
    }

    @POST
    @Path("/pause")
    @Operation(summary = "Pause all reminder and follow-up mail; planning goes on and nothing is lost")
    public SendingSwitch.State pause() {
        return sending.pause();
    }

    @POST
    @Path("/resume")
    @Operation(summary = "Resume mail: what fell due meanwhile goes out, never after its deadline")
    public SendingSwitch.State resume() {
        return sending.resume();
    }
}
