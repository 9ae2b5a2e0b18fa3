package org.optout.notifier.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.optout.notifier.platform.PlatformCatalogue;
import org.optout.notifier.policy.PolicyChangeCatalog;
import org.optout.notifier.region.Regions;
import org.optout.notifier.subscription.Language;

/**
 * The public "Upcoming deadlines" page: each active change with its platforms, who is affected, the deadline (with a
 * countdown in the visitor's time zone when JavaScript runs), the opt-out steps and the sources, and a link to sign
 * up with those platforms and the chosen country.
 */
@Path("/deadlines")
@Produces(MediaType.TEXT_HTML)
public class DeadlinesPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance deadlines(PageContext page, List<DeadlineCard> upcoming,
                List<DeadlineCard> inEffect, String country, String platform, FormOptions options);
    }

    private final PolicyChangeCatalog catalog;
    private final PlatformCatalogue platforms;
    private final FormOptions options;

    DeadlinesPage(PolicyChangeCatalog catalog, PlatformCatalogue platforms, FormOptions options) {
        this.catalog = catalog;
        this.platforms = platforms;
        this.options = options;
    }

    @GET
    @Operation(hidden = true)
    public Response show(@BeanParam PageRequest request, @QueryParam("country") String countryParam,
            @QueryParam("platform") String platformParam) {
        Language language = request.language();
        Messages messages = FormOptions.messages(language);
        String country = countryParam == null ? null : Regions.country(countryParam).orElse(null);
        String platform = platforms.contains(platformParam) ? platformParam : null;
        List<DeadlineCard> cards = catalog.active(country, platform).stream()
                .map(view -> DeadlineCard.of(view, language, messages, platforms, country))
                .toList();
        return Pages.html(Templates.deadlines(request.context(language),
                cards.stream().filter(card -> !card.inEffect()).toList(),
                cards.stream().filter(DeadlineCard::inEffect).toList(),
                country == null ? "" : country, platform == null ? "" : platform, options),
                language, 200, request.rememberedChoice());
    }
}
