package org.optout.notifier.region;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The countries and region groups subscribers and publishers can name. */
@Path("/api/regions")
@Produces(MediaType.APPLICATION_JSON)
public class RegionResource {

    public record Country(String code, String name, String defaultTimeZone) {
    }

    public record Group(String code, List<String> countries) {
    }

    public record RegionCatalogue(List<Country> countries, List<Group> groups) {
    }

    @GET
    @Operation(summary = "Countries (ISO 3166-1 alpha-2, names in the Accept-Language) and the groups EU, EEA, WORLD")
    public RegionCatalogue regions(@HeaderParam("Accept-Language") String acceptLanguage) {
        Locale locale = acceptLanguage != null && acceptLanguage.toLowerCase(Locale.ROOT).startsWith("zh")
                ? Locale.forLanguageTag("zh-HK") : Locale.ENGLISH;
        List<Country> countries = Regions.countries().stream()
                .map(code -> new Country(code, Regions.displayName(code, locale), Regions.defaultZone(code).getId()))
                .toList();
        List<Group> groups = Regions.groups().stream().sorted()
                .map(group -> new Group(group, Regions.expand(group).stream().sorted().toList()))
                .toList();
        return new RegionCatalogue(countries, groups);
    }
}
