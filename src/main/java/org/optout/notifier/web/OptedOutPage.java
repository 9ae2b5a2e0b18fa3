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
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.policy.PolicyChangeCatalog;
import org.optout.notifier.problem.NotFoundProblem;
import org.optout.notifier.reminder.OptedOut;
import org.optout.notifier.subscription.Language;
import org.optout.notifier.subscription.SubscriptionService;

/**
 * The page behind "I have already opted out" in a reminder: a button (a GET changes nothing), whose POST stops the
 * remaining reminders for that one change.
 */
@Path("/opted-out/{token}/{changeId}")
@Produces(MediaType.TEXT_HTML)
public class OptedOutPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance ask(PageContext page, String title);

        static native TemplateInstance done(PageContext page, String title);
    }

    private final SubscriptionService subscriptions;
    private final PolicyChangeCatalog catalog;
    private final OptedOut optedOut;

    OptedOutPage(SubscriptionService subscriptions, PolicyChangeCatalog catalog, OptedOut optedOut) {
        this.subscriptions = subscriptions;
        this.catalog = catalog;
        this.optedOut = optedOut;
    }

    @GET
    @Operation(hidden = true)
    public Response ask(@PathParam("token") String token, @PathParam("changeId") String changeId,
            @BeanParam PageRequest request) {
        return Pages.forLink(request, () -> subscriptions.byUnsubscribeToken(token), s -> s.language,
                (subscription, language) -> Pages.html(Templates.ask(request.context(language),
                        title(changeId, language)), language, 200, request.rememberedChoice()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response stop(@PathParam("token") String token, @PathParam("changeId") String changeId,
            @BeanParam PageRequest request) {
        return Pages.forLink(request, () -> subscriptions.byUnsubscribeToken(token), s -> s.language,
                (subscription, language) -> {
                    String title = title(changeId, language);
                    optedOut.stopReminders(subscription.id, changeId);
                    return Pages.html(Templates.done(request.context(language), title), language, 200, null);
                });
    }

    private String title(String changeId, Language language) {
        PolicyChange change = catalog.find(changeId).orElseThrow(() -> new NotFoundProblem("unknown change"));
        return catalog.view(change).title(language);
    }
}
