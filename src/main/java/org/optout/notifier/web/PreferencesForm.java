package org.optout.notifier.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.optout.notifier.subscription.Preferences;
import org.optout.notifier.subscription.SubscriptionRequest;

/**
 * The fields of the sign-up and preferences forms exactly as typed, so that a form with errors comes back as the
 * person left it.
 */
public record PreferencesForm(String email, String country, Set<String> platforms, Set<Integer> leadDays,
        String sendHour, String language, String timeZone) {

    static final List<Integer> LEAD_DAY_CHOICES = List.of(30, 14, 7, 3, 1);

    static PreferencesForm blank(String language, String country, List<String> platforms) {
        return new PreferencesForm("", country == null ? "" : country, new TreeSet<>(platforms),
                new TreeSet<>(List.of(7, 1)), "9", language, "");
    }

    static PreferencesForm of(String email, Preferences preferences) {
        return new PreferencesForm(email, preferences.country(), new TreeSet<>(preferences.platforms()),
                new TreeSet<>(preferences.leadDays()), String.valueOf(preferences.sendHour()), preferences.language(),
                preferences.timeZone());
    }

    static PreferencesForm typed(String email, String country, List<String> platforms, List<String> leadDays,
            String sendHour, String language, String timeZone) {
        return new PreferencesForm(email, country, new TreeSet<>(platforms), new TreeSet<>(numbers(leadDays)),
                sendHour, language, timeZone);
    }

    SubscriptionRequest toRequest() {
        return new SubscriptionRequest(email, country, List.copyOf(platforms), new ArrayList<>(leadDays),
                number(sendHour), language, timeZone);
    }

    public boolean hasPlatform(String code) {
        return platforms.contains(code);
    }

    public boolean hasLeadDay(int days) {
        return leadDays.contains(days);
    }

    public boolean isCountry(String code) {
        return code.equals(country);
    }

    public boolean isSendHour(int hour) {
        return String.valueOf(hour).equals(sendHour == null ? "" : sendHour.strip());
    }

    public boolean isLanguage(String tag) {
        return tag.equalsIgnoreCase(language);
    }

    /** A number, or one that breaks the range rule, so that garbage is reported as such rather than dropped. */
    private static Integer number(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static List<Integer> numbers(List<String> values) {
        return values.stream().map(PreferencesForm::number).filter(n -> n != null).toList();
    }
}
