package org.optout.notifier.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.optout.notifier.subscription.PreferencesSummary;
import org.optout.notifier.subscription.SubscriptionService;
import org.optout.notifier.subscription.Tokens;

/**
 * The page behind the confirmation link. The GET only shows what would be confirmed and a button: mail scanners
 * follow links, so only the POST of the button activates.
 */
@Path("/confirm/{token}")
@Produces(MediaType.TEXT_HTML)
public class ConfirmPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance confirm(PageContext page, SubscriptionService.PendingView pending,
                PreferencesSummary summary);

        static native TemplateInstance confirmed(PageContext page, String manageHref);
    }

    private final SubscriptionService service;
    private final Tokens tokens;
    private final PreferencesSummary.Factory summaries;

    ConfirmPage(SubscriptionService service, Tokens tokens, PreferencesSummary.Factory summaries) {
        this.service = service;
        this.tokens = tokens;
        this.summaries = summaries;
    }

    @GET
    @Operation(hidden = true)
    public Response show(@PathParam("token") String token, @BeanParam PageRequest request) {
        return Pages.forLink(request, () -> service.pending(token), pending -> pending.preferences().language(),
                (pending, language) -> Pages.html(Templates.confirm(request.context(language), pending,
                        summaries.of(pending.preferences(), language)), language, 200, request.rememberedChoice()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response confirm(@PathParam("token") String token, @BeanParam PageRequest request) {
        return Pages.forLink(request, () -> service.confirm(token), subscription -> subscription.language,
                (subscription, language) -> Pages.html(Templates.confirmed(request.context(language),
                        "/manage/" + tokens.manageToken(subscription.tokenSalt)), language, 200, null));
    }
}
