package org.optout.notifier.subscription;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Double opt-in for API clients: look at a confirmation, then confirm it. A GET never changes anything. */
@Path("/api/confirmations/{token}")
@Produces(MediaType.APPLICATION_JSON)
public class ConfirmationResource {

    /** The confirmed subscription, with the manage token for the rest of the API. */
    public record Confirmed(String manageToken, SubscriptionView subscription) {
    }

    private final SubscriptionService service;
    private final Tokens tokens;

    ConfirmationResource(SubscriptionService service, Tokens tokens) {
        this.service = service;
        this.tokens = tokens;
    }

    @GET
    @Operation(summary = "What the confirmation link would confirm")
    public SubscriptionService.PendingView pending(@PathParam("token") String token) {
        return service.pending(token);
    }

    @POST
    @Operation(summary = "Confirm: the subscription becomes active")
    public Confirmed confirm(@PathParam("token") String token) {
        Subscription subscription = service.confirm(token);
        return new Confirmed(tokens.manageToken(subscription.tokenSalt), SubscriptionView.of(subscription));
    }
}
