package org.optout.notifier.subscription;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The REST API of subscriptions. Sign-up answers 202 whatever the address's state; everything else is reached with
 * the manage token from a mail.
 */
@Path("/api/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SubscriptionResource {

    private final SignUp signUp;
    private final SubscriptionService service;
    private final SubscriptionValidator validator;

    SubscriptionResource(SignUp signUp, SubscriptionService service, SubscriptionValidator validator) {
        this.signUp = signUp;
        this.service = service;
        this.validator = validator;
    }

    @POST
    @Operation(summary = "Sign up; a confirmation mail follows (double opt-in)")
    @APIResponse(responseCode = "202", description = "Accepted, the same for new, pending and active addresses")
    @APIResponse(responseCode = "400", description = "Invalid fields (application/problem+json)")
    @APIResponse(responseCode = "429", description = "Too many requests from this client (Retry-After)")
    @APIResponse(responseCode = "503", description = "Sign-ups cannot be stored now (database stalled); nothing kept")
    public Response signUp(SubscriptionRequest request, @HeaderParam("Accept-Language") String acceptLanguage,
            @Context HttpServerRequest http) {
        SignUpAccepted accepted = signUp.accept(request, Language.fromAcceptLanguage(acceptLanguage),
                http.remoteAddress().hostAddress(), Origin.API);
        return Response.accepted(accepted).build();
    }

    @GET
    @Path("/{manageToken}")
    @Operation(summary = "State and preferences of a subscription")
    public SubscriptionView get(@PathParam("manageToken") String manageToken) {
        return SubscriptionView.of(service.byManageToken(manageToken));
    }

    @PUT
    @Path("/{manageToken}")
    @Operation(summary = "Change preferences (the email cannot be changed: sign up the new address instead)")
    public SubscriptionView update(@PathParam("manageToken") String manageToken, SubscriptionRequest request,
            @HeaderParam("Accept-Language") String acceptLanguage) {
        Preferences preferences = validator.validatePreferences(request == null ? SubscriptionRequests.EMPTY : request,
                Language.fromAcceptLanguage(acceptLanguage));
        return SubscriptionView.of(service.updatePreferences(manageToken, preferences));
    }

    @POST
    @Path("/{manageToken}/unsubscribe")
    @Operation(summary = "Stop all reminders (the manage link keeps working, to re-subscribe)")
    public SubscriptionView unsubscribe(@PathParam("manageToken") String manageToken) {
        return SubscriptionView.of(service.unsubscribeByManageToken(manageToken));
    }

    @POST
    @Path("/{manageToken}/resubscribe")
    @Operation(summary = "Turn reminders back on")
    public SubscriptionView resubscribe(@PathParam("manageToken") String manageToken) {
        return SubscriptionView.of(service.resubscribe(manageToken));
    }

    @GET
    @Path("/{manageToken}/export")
    @Operation(summary = "Download all data kept about the subscriber (GDPR Art. 15 and 20)")
    public Response export(@PathParam("manageToken") String manageToken) {
        return Response.ok(service.export(manageToken))
                .header("Content-Disposition", "attachment; filename=\"optout-notifier-my-data.json\"")
                .header("Cache-Control", "no-store")
                .build();
    }

    @DELETE
    @Path("/{manageToken}")
    @Operation(summary = "Erase all personal data of the subscriber")
    @APIResponse(responseCode = "204", description = "Erased; the link stops working")
    public void erase(@PathParam("manageToken") String manageToken) {
        service.erase(manageToken);
    }
}
