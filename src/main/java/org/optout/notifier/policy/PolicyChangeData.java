package org.optout.notifier.policy;

import java.util.List;
import java.util.Map;

/**
 * The {@code data} of an {@code optout.policy-change.v1} CloudEvent, field for field as organisations publish it
 * (see {@code docs/contract/policy-change.schema.json}). Read strictly: an unknown field is an error.
 */
public record PolicyChangeData(String changeId, Integer revision, String status, List<String> platforms,
        List<String> regions, List<String> excludedRegions, String effectiveDate, String effectiveAt, String title,
        String summary, List<String> dataUsed, List<String> excluded, OptOut optOut, List<String> sources,
        Map<String, Translation> translations, Boolean dryRun) {

    /** How to refuse: the steps in order, and where to do it. */
    public record OptOut(List<String> steps, String url) {
    }

    /** The texts of a change in another language. */
    public record Translation(String title, String summary, List<String> steps) {
    }
}
