package org.optout.notifier.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.optout.notifier.subscription.Language;
import org.optout.notifier.subscription.Subscription;
import org.optout.notifier.subscription.SubscriptionService;
import org.optout.notifier.subscription.SubscriptionStatus;

/**
 * The page behind the unsubscribe link: a button, never an unsubscribe by itself. The button posts the RFC 8058 body
 * to the same link, which {@link OneClickUnsubscribeRoute} answers.
 */
@Path("/unsubscribe/{token}")
@Produces(MediaType.TEXT_HTML)
public class UnsubscribePage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance unsubscribe(PageContext page, boolean active);

        static native TemplateInstance unsubscribed(PageContext page);
    }

    private final SubscriptionService service;

    UnsubscribePage(SubscriptionService service) {
        this.service = service;
    }

    @GET
    @Operation(hidden = true)
    public Response show(@PathParam("token") String token, @QueryParam("lang") String lang,
            @CookieParam(PageLanguage.COOKIE) String cookie, @HeaderParam("Accept-Language") String acceptLanguage,
            @Context UriInfo uri) {
        Language browser = PageLanguage.choose(lang, cookie, acceptLanguage);
        return Pages.withValidLink(browser, uri.getRequestUri(), () -> {
            Subscription subscription = service.byUnsubscribeToken(token);
            Language language = PageLanguage.choose(lang, cookie,
                    Language.fromTag(subscription.language).orElse(browser));
            return Pages.html(Templates.unsubscribe(PageContext.of(language, uri.getRequestUri()),
                    subscription.status == SubscriptionStatus.ACTIVE), language, 200, PageLanguage.remember(lang));
        });
    }

    static String unsubscribedHtml(Language language, URI uri) {
        return Templates.unsubscribed(PageContext.of(language, uri)).setLocale(language.locale()).render();
    }
}
