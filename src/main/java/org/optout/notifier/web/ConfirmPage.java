package org.optout.notifier.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.optout.notifier.subscription.Language;
import org.optout.notifier.subscription.PreferencesSummary;
import org.optout.notifier.subscription.Subscription;
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
    public Response show(@PathParam("token") String token, @QueryParam("lang") String lang,
            @CookieParam(PageLanguage.COOKIE) String cookie, @HeaderParam("Accept-Language") String acceptLanguage,
            @Context UriInfo uri) {
        Language browser = PageLanguage.choose(lang, cookie, acceptLanguage);
        return Pages.withValidLink(browser, uri.getRequestUri(), () -> {
            SubscriptionService.PendingView pending = service.pending(token);
            Language language = PageLanguage.choose(lang, cookie,
                    Language.fromTag(pending.preferences().language()).orElse(browser));
            return Pages.html(Templates.confirm(PageContext.of(language, uri.getRequestUri()), pending,
                    summaries.of(pending.preferences(), language)), language, 200, PageLanguage.remember(lang));
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response confirm(@PathParam("token") String token, @CookieParam(PageLanguage.COOKIE) String cookie,
            @HeaderParam("Accept-Language") String acceptLanguage, @Context UriInfo uri) {
        Language browser = PageLanguage.choose(null, cookie, acceptLanguage);
        return Pages.withValidLink(browser, uri.getRequestUri(), () -> {
            Subscription subscription = service.confirm(token);
            Language language = PageLanguage.choose(null, cookie,
                    Language.fromTag(subscription.language).orElse(browser));
            String manageHref = "/manage/" + tokens.manageToken(subscription.tokenSalt);
            return Pages.html(Templates.confirmed(PageContext.of(language, uri.getRequestUri()), manageHref),
                    language, 200, null);
        });
    }
}
