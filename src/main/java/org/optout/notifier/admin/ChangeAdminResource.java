package org.optout.notifier.admin;

import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.optout.notifier.policy.ChangeApproval;
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.policy.PolicyChangeStatus;
import org.optout.notifier.problem.FieldError;
import org.optout.notifier.problem.InvalidRequestException;
import org.optout.notifier.reminder.DeadlineProjection;
import org.optout.notifier.reminder.ReminderCounts;
import org.optout.notifier.reminder.ReminderStatus;

/** Policy changes as an operator sees them: their audience, where their reminders stand, and the approval gate. */
@Path("/api/admin/changes")
@RolesAllowed(AdminRole.NAME)
@Tag(name = "Admin")
@SecurityRequirement(name = "admin")
@Produces(MediaType.APPLICATION_JSON)
public class ChangeAdminResource {

    /**
     * One change with its reminders counted by status and, while some wait, whether the last of them will leave before
     * the deadline ({@code projection}).
     */
    public record ChangeSummary(String changeId, int revision, PolicyChangeStatus status, LocalDate effectiveDate,
            Long audience, boolean awaitingApproval, Map<ReminderStatus, Long> reminders,
            DeadlineProjection.Projection projection) {
    }

    private final ChangeApproval approval;
    private final DeadlineProjection deadlines;

    ChangeAdminResource(ChangeApproval approval, DeadlineProjection deadlines) {
        this.approval = approval;
        this.deadlines = deadlines;
    }

    @GET
    @Transactional
    @Operation(summary = "Every policy change with its audience, its reminders pending, sent, failed, cancelled, and "
            + "when the last pending one is projected to leave against its deadline")
    public List<ChangeSummary> changes() {
        Map<String, Map<ReminderStatus, Long>> reminders = ReminderCounts.byChange();
        Map<String, DeadlineProjection.Projection> projections = deadlines.byChange();
        List<PolicyChange> changes = PolicyChange.listAll(Sort.descending("receivedAt"));
        return changes.stream().map(c -> new ChangeSummary(c.changeId, c.revision, c.status, c.effectiveDate,
                c.audience, c.awaitingApproval, reminders.getOrDefault(c.changeId, ReminderCounts.zeroes()),
                projections.get(c.changeId))).toList();
    }

    @POST
    @Path("/{changeId}/approval")
    @Operation(summary = "Approve the revision of a change held by the approval gate: its reminders are planned")
    public void approve(@PathParam("changeId") String changeId, @QueryParam("revision") Integer revision) {
        if (revision == null) {
            throw new InvalidRequestException(List.of(new FieldError("revision", "required",
                    "the revision whose audience was looked at")));
        }
        approval.approve(changeId, revision);
    }
}
