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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.optout.notifier.problem.InvalidRequestException;
import org.optout.notifier.subscription.Language;
import org.optout.notifier.subscription.Preferences;
import org.optout.notifier.subscription.Subscription;
import org.optout.notifier.subscription.SubscriptionService;
import org.optout.notifier.subscription.SubscriptionStatus;
import org.optout.notifier.subscription.SubscriptionValidator;

/**
 * The page behind the manage link of every mail: preferences, unsubscribe and re-subscribe, export, erasure. Every
 * change is a POST of a CSRF-protected form, answered with a redirect back to the page.
 */
@Path("/manage/{token}")
@Produces(MediaType.TEXT_HTML)
public class ManagePage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance manage(PageContext page, String email, boolean active, PreferencesForm form,
                Map<String, String> errors, boolean saved, boolean eraseNotConfirmed, FormOptions options);

        static native TemplateInstance erased(PageContext page);
    }

    private final SubscriptionService service;
    private final SubscriptionValidator validator;
    private final FormOptions options;

    ManagePage(SubscriptionService service, SubscriptionValidator validator, FormOptions options) {
        this.service = service;
        this.validator = validator;
        this.options = options;
    }

    @GET
    @Operation(hidden = true)
    public Response show(@PathParam("token") String token, @QueryParam("saved") boolean saved,
            @BeanParam PageRequest request) {
        return forSubscriber(token, request, (subscription, language) -> Pages.html(
                page(subscription, language, request, PreferencesForm.of(subscription.email,
                        subscription.preferences()), Map.of(), saved, false),
                language, 200, request.rememberedChoice()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response save(@PathParam("token") String token, @BeanParam PageRequest request,
            @RestForm String country, @RestForm List<String> platforms, @RestForm List<String> leadDays,
            @RestForm String sendHour, @RestForm String language, @RestForm String timeZone) {
        return forSubscriber(token, request, (subscription, pageLanguage) -> {
            PreferencesForm form = PreferencesForm.typed(subscription.email, country, platforms, leadDays, sendHour,
                    language, timeZone);
            try {
                Preferences preferences = validator.validatePreferences(form.toRequest(), pageLanguage);
                service.updatePreferences(token, preferences);
                return backToPage(request, "?saved=true");
            } catch (InvalidRequestException e) {
                Map<String, String> errors = FormErrors.byField(e.errors(), FormOptions.messages(pageLanguage));
                return Pages.html(page(subscription, pageLanguage, request, form, errors, false, false),
                        pageLanguage, 400, null);
            }
        });
    }

    /** Unsubscribe or re-subscribe, then back to the page that shows the new state. */
    @POST
    @Path("/{change: unsubscribe|resubscribe}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response changeState(@PathParam("token") String token, @PathParam("change") String change,
            @BeanParam PageRequest request) {
        return forSubscriber(token, request, (subscription, language) -> {
            if (change.equals("unsubscribe")) {
                service.unsubscribeByManageToken(token);
            } else {
                service.resubscribe(token);
            }
            return backToPage(request, "");
        });
    }

    @GET
    @Path("/export")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response export(@PathParam("token") String token, @BeanParam PageRequest request) {
        return forSubscriber(token, request, (subscription, language) -> Response
                .ok(service.export(token), MediaType.APPLICATION_JSON_TYPE)
                .header("Content-Disposition", "attachment; filename=\"optout-notifier-my-data.json\"")
                .header("Cache-Control", "no-store")
                .build());
    }

    @POST
    @Path("/erase")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response erase(@PathParam("token") String token, @BeanParam PageRequest request,
            @RestForm String understood) {
        return forSubscriber(token, request, (subscription, language) -> {
            if (understood == null) {
                return Pages.html(page(subscription, language, request, PreferencesForm.of(subscription.email,
                        subscription.preferences()), Map.of(), false, true), language, 400, null);
            }
            service.erase(token);
            return Pages.html(Templates.erased(PageContext.of(language, managePath(request))), language, 200, null);
        });
    }

    private Response forSubscriber(String token, PageRequest request,
            BiFunction<Subscription, Language, Response> render) {
        return Pages.forLink(request, () -> service.byManageToken(token), subscription -> subscription.language,
                render);
    }

    private TemplateInstance page(Subscription subscription, Language language, PageRequest request,
            PreferencesForm form, Map<String, String> errors, boolean saved, boolean eraseNotConfirmed) {
        return Templates.manage(PageContext.of(language, managePath(request)), subscription.email,
                subscription.status == SubscriptionStatus.ACTIVE, form, errors, saved, eraseNotConfirmed, options);
    }

    /** The manage page itself, whatever sub-path was posted to: forms, the language switch and redirects go there. */
    private static URI managePath(PageRequest request) {
        return request.uri().getBaseUriBuilder().path("manage")
                .path(request.uri().getPathParameters().getFirst("token")).build();
    }

    private static Response backToPage(PageRequest request, String query) {
        return Response.seeOther(URI.create(managePath(request).getRawPath() + query)).build();
    }
}
