package org.optout.notifier.admin;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.optout.notifier.problem.FieldError;
import org.optout.notifier.problem.InvalidRequestException;
import org.optout.notifier.problem.NotFoundProblem;
import org.optout.notifier.subscription.EmailAddresses;
import org.optout.notifier.subscription.SuppressionList;

/**
 * The suppression list for operators and for a mail provider's bounce and complaint notices. Addresses go in and
 * come out; the list itself only holds keyed hashes, so it can be counted but not read.
 */
@Path("/api/admin/suppressions")
@RolesAllowed(AdminRole.NAME)
@Tag(name = "Admin")
@SecurityRequirement(name = "admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SuppressionResource {

    /** A bounce or complaint notice: the address and why no more mail may go to it. */
    public record Notice(String email, SuppressionList.Reason reason) {
    }

    /** An address whose suppression an operator lifts. */
    public record Lift(String email) {
    }

    private final SuppressionList suppressions;

    SuppressionResource(SuppressionList suppressions) {
        this.suppressions = suppressions;
    }

    @POST
    @Operation(summary = "Stop all mail to an address (bounce or complaint notice)")
    public void suppress(Notice notice) {
        if (notice == null || notice.reason() == null) {
            throw new InvalidRequestException(List.of(new FieldError("reason", "required",
                    "must be BOUNCE or COMPLAINT")));
        }
        suppressions.suppress(address(notice.email()), notice.reason());
    }

    @POST
    @Path("/lift")
    @Operation(summary = "Let mail go to a suppressed address again")
    public void lift(Lift lift) {
        if (!suppressions.lift(address(lift == null ? null : lift.email()))) {
            throw new NotFoundProblem("This address is not suppressed.");
        }
    }

    @GET
    @Operation(summary = "Suppressed addresses counted by reason")
    public Map<String, Long> counts() {
        return suppressions.counts();
    }

    private static String address(String raw) {
        return EmailAddresses.normalise(raw).orElseThrow(() -> new InvalidRequestException(List.of(
                new FieldError("email", "format", "must be an email address"))));
    }
}
