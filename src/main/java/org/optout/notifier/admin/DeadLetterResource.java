package org.optout.notifier.admin;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.optout.notifier.inbox.DeadLetters;
import org.optout.notifier.policy.PolicyChangeConsumer;
import org.optout.notifier.problem.FieldError;
import org.optout.notifier.problem.InvalidRequestException;
import org.optout.notifier.problem.NotFoundProblem;
import org.optout.notifier.subscription.SubscriptionRequestConsumer;

/**
 * The dead-letter topics of the two consumers, by channel name ({@code policy-changes}, {@code subscription-requests}):
 * what was rejected and why, and a replay of one record once its cause is fixed.
 */
@Path("/api/admin/dead-letters/{channel}")
@RolesAllowed(AdminRole.NAME)
@Tag(name = "Admin")
@SecurityRequirement(name = "admin")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    private static final int MAX_LIMIT = 500;

    /** Channel name to its topic and dead-letter topic. */
    private record Topics(String topic, String deadLetterTopic) {
    }

    private final DeadLetters deadLetters;
    private final Map<String, Topics> channels;

    DeadLetterResource(DeadLetters deadLetters,
            @ConfigProperty(name = "mp.messaging.incoming.policy-changes.topic") String policyChanges,
            @ConfigProperty(name = "mp.messaging.incoming.policy-changes.dead-letter-queue.topic")
            String policyChangesDlq,
            @ConfigProperty(name = "mp.messaging.incoming.subscription-requests.topic") String requests,
            @ConfigProperty(name = "mp.messaging.incoming.subscription-requests.dead-letter-queue.topic")
            String requestsDlq) {
        this.deadLetters = deadLetters;
        this.channels = Map.of(PolicyChangeConsumer.CHANNEL, new Topics(policyChanges, policyChangesDlq),
                SubscriptionRequestConsumer.CHANNEL, new Topics(requests, requestsDlq));
    }

    @GET
    @Operation(summary = "The latest dead-lettered records of a channel with their reasons, newest first")
    public List<DeadLetters.DeadLetter> latest(@PathParam("channel") String channel,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException(List.of(new FieldError("limit", "range",
                    "must be between 1 and " + MAX_LIMIT)));
        }
        return deadLetters.latest(topics(channel).deadLetterTopic(), limit);
    }

    @POST
    @Path("/{partition}/{offset}/replay")
    @Operation(summary = "Publish one dead-lettered record again to the channel's topic")
    public DeadLetters.Replayed replay(@PathParam("channel") String channel, @PathParam("partition") int partition,
            @PathParam("offset") long offset) {
        Topics topics = topics(channel);
        return deadLetters.replay(topics.deadLetterTopic(), topics.topic(), partition, offset)
                .orElseThrow(() -> new NotFoundProblem("No dead letter at " + partition + "/" + offset + "."));
    }

    private Topics topics(String channel) {
        Topics topics = channels.get(channel);
        if (topics == null) {
            throw new NotFoundProblem("No channel " + channel + ".");
        }
        return topics;
    }
}
