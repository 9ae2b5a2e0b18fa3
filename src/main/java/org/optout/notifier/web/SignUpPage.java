package org.optout.notifier.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.optout.notifier.problem.InvalidRequestException;
import org.optout.notifier.ratelimit.RateLimitedException;
import org.optout.notifier.subscription.Language;
import org.optout.notifier.subscription.Origin;
import org.optout.notifier.subscription.SignUp;

/**
 * The start page: the sign-up form. Works without JavaScript; a script only fills in the browser's time zone.
 * Invalid input comes back with a message next to each field and everything the person typed.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class SignUpPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance form(PageContext page, PreferencesForm form, Map<String, String> errors,
                boolean rateLimited, FormOptions options);

        static native TemplateInstance sent(PageContext page);
    }

    private final SignUp signUp;
    private final FormOptions options;

    SignUpPage(SignUp signUp, FormOptions options) {
        this.signUp = signUp;
        this.options = options;
    }

    /** The form; {@code country} and {@code platform} pre-select choices (links from the deadlines page). */
    @GET
    @Operation(hidden = true)
    public Response form(@BeanParam PageRequest request, @QueryParam("country") String country,
            @QueryParam("platform") List<String> platforms) {
        Language language = request.language();
        PreferencesForm blank = PreferencesForm.blank(language.tag(), country, platforms);
        return Pages.html(Templates.form(request.context(language), blank, Map.of(), false, options), language, 200,
                request.rememberedChoice());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response submit(@BeanParam PageRequest request, @RestForm String email, @RestForm String country,
            @RestForm List<String> platforms, @RestForm List<String> leadDays, @RestForm String sendHour,
            @RestForm String language, @RestForm String timeZone, @Context HttpServerRequest http) {
        Language pageLanguage = request.language();
        PageContext page = request.context(pageLanguage);
        PreferencesForm form = PreferencesForm.typed(email, country, platforms, leadDays, sendHour, language,
                timeZone);
        try {
            signUp.accept(form.toRequest(), pageLanguage, http.remoteAddress().hostAddress(), Origin.FORM);
            return Pages.html(Templates.sent(page), pageLanguage, 200, null);
        } catch (InvalidRequestException e) {
            Map<String, String> errors = FormErrors.byField(e.errors(), FormOptions.messages(pageLanguage));
            return Pages.html(Templates.form(page, form, errors, false, options), pageLanguage, 400, null);
        } catch (RateLimitedException e) {
            return Response.fromResponse(Pages.html(Templates.form(page, form, Map.of(), true, options),
                    pageLanguage, 429, null)).header("Retry-After", e.retryAfter().toSeconds()).build();
        }
    }
}
