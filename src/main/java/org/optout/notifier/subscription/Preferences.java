package org.optout.notifier.subscription;

import java.util.List;

/**
 * What a subscriber wants, validated and normalised: where they live, which platforms they use, when and in which
 * language to be reminded.
 */
public record Preferences(String country, List<String> platforms, List<Integer> leadDays, int sendHour,
        String language, String timeZone) {
}
