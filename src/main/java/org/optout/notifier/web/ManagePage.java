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
import java.net.URI;
import java.util.List;
import java.util.Map;
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
    public Response show(@PathParam("token") String token, @QueryParam("lang") String lang,
            @QueryParam("saved") boolean saved, @CookieParam(PageLanguage.COOKIE) String cookie,
            @HeaderParam("Accept-Language") String acceptLanguage, @Context UriInfo uri) {
        return page(token, lang, cookie, acceptLanguage, uri, (subscription, language, page) -> Pages.html(
                Templates.manage(page, subscription.email, isActive(subscription),
                        PreferencesForm.of(subscription.email, subscription.preferences()), Map.of(), saved, false,
                        options), language, 200, PageLanguage.remember(lang)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response save(@PathParam("token") String token, @RestForm String country,
            @RestForm List<String> platforms, @RestForm List<String> leadDays, @RestForm String sendHour,
            @RestForm String language, @RestForm String timeZone, @CookieParam(PageLanguage.COOKIE) String cookie,
            @HeaderParam("Accept-Language") String acceptLanguage, @Context UriInfo uri) {
        return page(token, null, cookie, acceptLanguage, uri, (subscription, pageLanguage, page) -> {
            PreferencesForm form = PreferencesForm.typed(subscription.email, country, platforms, leadDays, sendHour,
                    language, timeZone);
            try {
                Preferences preferences = validator.validatePreferences(form.toRequest(), pageLanguage);
                service.updatePreferences(token, preferences);
                return backToPage(uri, "?saved=true");
            } catch (InvalidRequestException e) {
                Map<String, String> errors = FormErrors.byField(e.errors(), FormOptions.messages(pageLanguage));
                return Pages.html(Templates.manage(page, subscription.email, isActive(subscription), form, errors,
                        false, false, options), pageLanguage, 400, null);
            }
        });
    }

    @POST
    @Path("/unsubscribe")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response unsubscribe(@PathParam("token") String token, @CookieParam(PageLanguage.COOKIE) String cookie,
            @HeaderParam("Accept-Language") String acceptLanguage, @Context UriInfo uri) {
        return page(token, null, cookie, acceptLanguage, uri, (subscription, language, page) -> {
            service.unsubscribeByManageToken(token);
            return backToPage(uri, "");
        });
    }

    @POST
    @Path("/resubscribe")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response resubscribe(@PathParam("token") String token, @CookieParam(PageLanguage.COOKIE) String cookie,
            @HeaderParam("Accept-Language") String acceptLanguage, @Context UriInfo uri) {
        return page(token, null, cookie, acceptLanguage, uri, (subscription, language, page) -> {
            service.resubscribe(token);
            return backToPage(uri, "");
        });
    }

    @GET
    @Path("/export")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response export(@PathParam("token") String token, @CookieParam(PageLanguage.COOKIE) String cookie,
            @HeaderParam("Accept-Language") String acceptLanguage, @Context UriInfo uri) {
        return page(token, null, cookie, acceptLanguage, uri, (subscription, language, page) -> Response
                .ok(service.export(token), MediaType.APPLICATION_JSON_TYPE)
                .header("Content-Disposition", "attachment; filename=\"optout-notifier-my-data.json\"")
                .header("Cache-Control", "no-store")
                .build());
    }

    @POST
    @Path("/erase")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response erase(@PathParam("token") String token, @RestForm String understood,
            @CookieParam(PageLanguage.COOKIE) String cookie, @HeaderParam("Accept-Language") String acceptLanguage,
            @Context UriInfo uri) {
        return page(token, null, cookie, acceptLanguage, uri, (subscription, language, page) -> {
            if (understood == null) {
                return Pages.html(Templates.manage(page, subscription.email, isActive(subscription),
                        PreferencesForm.of(subscription.email, subscription.preferences()), Map.of(), false, true,
                        options), language, 400, null);
            }
            service.erase(token);
            return Pages.html(Templates.erased(page), language, 200, null);
        });
    }

    @FunctionalInterface
    private interface ManageAction {
        Response run(Subscription subscription, Language language, PageContext page);
    }

    private Response page(String token, String lang, String cookie, String acceptLanguage, UriInfo uri,
            ManageAction action) {
        Language browser = PageLanguage.choose(lang, cookie, acceptLanguage);
        return Pages.withValidLink(browser, uri.getRequestUri(), () -> {
            Subscription subscription = service.byManageToken(token);
            Language language = PageLanguage.choose(lang, cookie,
                    Language.fromTag(subscription.language).orElse(browser));
            return action.run(subscription, language, PageContext.of(language, managePath(uri)));
        });
    }

    private static boolean isActive(Subscription subscription) {
        return subscription.status == SubscriptionStatus.ACTIVE;
    }

    /** The manage page itself, whatever sub-path was posted to: the language switch and redirects go there. */
    private static URI managePath(UriInfo uri) {
        return uri.getBaseUriBuilder().path("manage").path(uri.getPathParameters().getFirst("token")).build();
    }

    private static Response backToPage(UriInfo uri, String query) {
        return Response.seeOther(URI.create(managePath(uri).getRawPath() + query)).build();
    }
}
