package org.optout.notifier.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.stream.Collectors;
import org.optout.notifier.platform.PlatformCatalogue;
import org.optout.notifier.policy.PolicyChangeView;
import org.optout.notifier.region.Regions;
import org.optout.notifier.subscription.Language;

/** One policy change on the deadlines page, in the page's language (the change's translation when it has one). */
public record DeadlineCard(String changeId, String title, String summary, List<String> platforms, String affected,
        String exceptFor, LocalDate effectiveDate, String lastDayToAct, String tookEffect, boolean inEffect,
        List<String> dataUsed, List<String> excluded, List<String> steps, String optOutUrl, List<String> sources,
        String subscribeHref) {

    static DeadlineCard of(PolicyChangeView view, Language language, Messages messages, PlatformCatalogue catalogue,
            String country) {
        DateTimeFormatter dates = DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(language.locale());
        return new DeadlineCard(view.changeId(), view.title(language), view.summary(language),
                view.platforms().stream().map(catalogue::name).toList(),
                regions(view.regions(), language, messages), regions(view.excludedRegions(), language, messages),
                view.effectiveDate(), dates.format(view.lastDayToAct()), dates.format(view.effectiveDate()),
                view.inEffect(), view.dataUsed(), view.excluded(), view.steps(language), view.optOut().url(), view.sources(), subscribeHref(view.platforms(), country));
    }

    private static String regions(List<String> regions, Language language, Messages messages) {
        return regions.stream().map(region -> switch (region) {
            case Regions.EU -> messages.regionEU();
            case Regions.EEA -> messages.regionEEA();
            case Regions.WORLD -> messages.regionWORLD();
            default -> Regions.displayName(Regions.country(region).orElse(region), language.locale());
        }).collect(Collectors.joining(language == Language.EN ? ", " : "、"));
    }

    private static String subscribeHref(List<String> platforms, String country) {
        String query = platforms.stream().map(p -> "platform=" + URLEncoder.encode(p, StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return "/?" + query + (country == null ? "" : "&country=" + country);
    }
}
