package org.optout.notifier.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

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

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
