package org.optout.notifier.subscription;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.optout.notifier.platform.PlatformCatalogue;
import org.optout.notifier.region.Regions;

/** Preferences in words, for reading rather than editing. */
public record PreferencesSummary(String country, List<String> platforms, List<Integer> leadDays, int sendHour,
        String timeZone) {

    /** The lead days as one phrase, e.g. {@code 7, 1}. */
    public String leadDaysText() {
        return String.join(", ", leadDays.stream().map(String::valueOf).toList());
    }

    @ApplicationScoped
    public static class Factory {

        private final PlatformCatalogue platforms;

        Factory(PlatformCatalogue platforms) {
            this.platforms = platforms;
        }

        public PreferencesSummary of(Preferences preferences, Language language) {
            return new PreferencesSummary(Regions.displayName(preferences.country(), language.locale()),
                    preferences.platforms().stream().map(platforms::name).toList(), preferences.leadDays(),
                    preferences.sendHour(), preferences.timeZone());
        }
    }
}
