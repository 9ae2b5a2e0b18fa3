package org.optout.notifier.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.optout.notifier.subscription.Language;

/** A policy change as the public API and the deadlines page show it. */
public record PolicyChangeView(String changeId, int revision, String source, String title, String summary,
        List<String> platforms, List<String> regions, List<String> excludedRegions, LocalDate effectiveDate,
        Instant effectiveAt, LocalDate lastDayToAct, boolean inEffect, List<String> dataUsed, List<String> excluded,
        PolicyChangeData.OptOut optOut, List<String> sources, Map<String, PolicyChangeData.Translation> translations) {

    static PolicyChangeView of(PolicyChange change, PolicyChangeData data, LocalDate today) {
        return new PolicyChangeView(change.changeId, change.revision, change.source, data.title(), data.summary(),
                change.platforms.stream().sorted().toList(), orEmpty(data.regions()), orEmpty(data.excludedRegions()),
                change.effectiveDate, change.effectiveAt, change.effectiveDate.minusDays(1),
                !change.effectiveDate.isAfter(today), orEmpty(data.dataUsed()), orEmpty(data.excluded()),
                data.optOut(), orEmpty(data.sources()), data.translations() == null ? Map.of() : data.translations());
    }

    /** The title in {@code language}: the publisher's translation when there is one. */
    public String title(Language language) {
        return translation(language).map(PolicyChangeData.Translation::title).filter(t -> !t.isBlank()).orElse(title);
    }

    public String summary(Language language) {
        return translation(language).map(PolicyChangeData.Translation::summary).filter(s -> !s.isBlank())
                .orElse(summary);
    }

    public List<String> steps(Language language) {
        return translation(language).map(PolicyChangeData.Translation::steps).filter(steps -> !steps.isEmpty())
                .orElse(optOut.steps());
    }

    private Optional<PolicyChangeData.Translation> translation(Language language) {
        return Optional.ofNullable(translations.get(language.tag()));
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
