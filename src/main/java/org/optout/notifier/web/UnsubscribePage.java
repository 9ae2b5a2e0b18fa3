package org.optout.notifier.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.optout.notifier.subscription.Language;
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
    public Response show(@PathParam("token") String token, @BeanParam PageRequest request) {
        return Pages.forLink(request, () -> service.byUnsubscribeToken(token), subscription -> subscription.language,
                (subscription, language) -> Pages.html(Templates.unsubscribe(request.context(language),
                        subscription.status == SubscriptionStatus.ACTIVE), language, 200, request.rememberedChoice()));
    }

    static String unsubscribedHtml(Language language, URI uri) {
        return Templates.unsubscribed(PageContext.of(language, uri)).setLocale(language.locale()).render();
    }
}
