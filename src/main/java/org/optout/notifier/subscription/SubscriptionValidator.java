package org.optout.notifier.subscription;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import org.optout.notifier.config.NotifierConfig;
import org.optout.notifier.platform.PlatformCatalogue;
import org.optout.notifier.problem.FieldError;
import org.optout.notifier.problem.UnsafeCharacters;
import org.optout.notifier.problem.InvalidRequestException;
import org.optout.notifier.region.Regions;

/**
 * Checks a sign-up field by field, the same for the web form, the REST API and Kafka, and reports every broken rule
 * at once. Control characters are refused everywhere: these values end up in mail headers.
 */
@ApplicationScoped
public class SubscriptionValidator {

    static final int MAX_LEAD_DAYS = 5;
    static final int MAX_LEAD_DAY = 30;
    static final int MAX_PLATFORMS = 50;

    private final PlatformCatalogue platforms;
    private final NotifierConfig.Subscriptions defaults;

    SubscriptionValidator(PlatformCatalogue platforms, NotifierConfig config) {
        this.platforms = platforms;
        this.defaults = config.subscriptions();
    }

    /**
     * @param fallbackLanguage the language of the form or of {@code Accept-Language}, used when none is given
     * @throws InvalidRequestException listing every broken rule
     */
    public ValidatedRequest validate(SubscriptionRequest request, Language fallbackLanguage) {
        List<FieldError> errors = new ArrayList<>();
        String email = email(request.email(), errors);
        Preferences preferences = preferences(request, fallbackLanguage, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        boolean zoneGiven = request.timeZone() != null && !request.timeZone().isBlank();
        return new ValidatedRequest(email, preferences,
                zoneGiven ? ValidatedRequest.TimeZoneChoice.GIVEN : ValidatedRequest.TimeZoneChoice.COUNTRY_DEFAULT);
    }

    /** Checks changed preferences of an existing subscriber (no email). */
    public Preferences validatePreferences(SubscriptionRequest request, Language fallbackLanguage) {
        List<FieldError> errors = new ArrayList<>();
        Preferences preferences = preferences(request, fallbackLanguage, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return preferences;
    }

    private Preferences preferences(SubscriptionRequest request, Language fallbackLanguage, List<FieldError> errors) {
        String country = country(request.country(), errors);
        return new Preferences(country, platforms(request.platforms(), errors), leadDays(request.leadDays(), errors),
                sendHour(request.sendHour(), errors), language(request.language(), fallbackLanguage, errors),
                timeZone(request.timeZone(), country, errors));
    }

    private static String email(String raw, List<FieldError> errors) {
        if (isBlank(raw)) {
            errors.add(new FieldError("email", "required", "is required"));
            return null;
        }
        if (UnsafeCharacters.check(raw, "email", errors)) {
            return null;
        }
        if (raw.strip().length() > EmailAddresses.MAX_LENGTH) {
            errors.add(new FieldError("email", "max-length", "must be at most 254 characters"));
            return null;
        }
        Optional<String> email = EmailAddresses.normalise(raw);
        if (email.isEmpty()) {
            errors.add(new FieldError("email", "format", "must be an email address such as name@example.org"));
        }
        return email.orElse(null);
    }

    private static String country(String raw, List<FieldError> errors) {
        if (isBlank(raw)) {
            errors.add(new FieldError("country", "required", "is required"));
            return null;
        }
        if (UnsafeCharacters.check(raw, "country", errors)) {
            return null;
        }
        Optional<String> country = Regions.country(raw);
        if (country.isEmpty()) {
            errors.add(new FieldError("country", "iso-3166-alpha-2",
                    "must be a two-letter ISO 3166-1 country code such as HK, DE or GB"));
        }
        return country.orElse(null);
    }

    private List<String> platforms(List<String> raw, List<FieldError> errors) {
        if (raw == null || raw.isEmpty()) {
            errors.add(new FieldError("platforms", "required", "must name at least one platform"));
            return List.of();
        }
        if (raw.size() > MAX_PLATFORMS) {
            errors.add(new FieldError("platforms", "max-items", "must have at most " + MAX_PLATFORMS + " values"));
            return List.of();
        }
        TreeSet<String> codes = new TreeSet<>();
        for (int i = 0; i < raw.size(); i++) {
            String field = "platforms[" + i + "]";
            String given = raw.get(i) == null ? "" : raw.get(i);
            if (UnsafeCharacters.check(given, field, errors)) {
                continue;
            }
            String code = given.strip().toLowerCase(Locale.ROOT);
            if (!platforms.contains(code)) {
                errors.add(new FieldError(field, "catalogue", "must be one of the platforms at /api/platforms"));
            } else {
                codes.add(code);
            }
        }
        return List.copyOf(codes);
    }

    private List<Integer> leadDays(List<Integer> raw, List<FieldError> errors) {
        if (raw == null || raw.isEmpty()) {
            return defaults.defaultLeadDays().stream().sorted(Comparator.reverseOrder()).toList();
        }
        if (raw.size() > MAX_LEAD_DAYS) {
            errors.add(new FieldError("leadDays", "max-items", "must have at most " + MAX_LEAD_DAYS + " values"));
            return List.of();
        }
        TreeSet<Integer> days = new TreeSet<>(Comparator.reverseOrder());
        for (int i = 0; i < raw.size(); i++) {
            Integer day = raw.get(i);
            if (day == null || day < 1 || day > MAX_LEAD_DAY) {
                errors.add(new FieldError("leadDays[" + i + "]", "range", "must be a whole number from 1 to 30"));
            } else {
                days.add(day);
            }
        }
        return List.copyOf(days);
    }

    private int sendHour(Integer raw, List<FieldError> errors) {
        if (raw == null) {
            return defaults.defaultSendHour();
        }
        if (raw < 0 || raw > 23) {
            errors.add(new FieldError("sendHour", "range", "must be an hour from 0 to 23"));
        }
        return raw;
    }

    private static String language(String raw, Language fallback, List<FieldError> errors) {
        if (isBlank(raw)) {
            return fallback.tag();
        }
        if (UnsafeCharacters.check(raw, "language", errors)) {
            return fallback.tag();
        }
        Optional<Language> language = Language.fromTag(raw.strip());
        if (language.isEmpty()) {
            errors.add(new FieldError("language", "supported", "must be en or zh-HK"));
        }
        return language.orElse(fallback).tag();
    }

    private static String timeZone(String raw, String country, List<FieldError> errors) {
        if (isBlank(raw)) {
            return country == null ? null : Regions.defaultZone(country).getId();
        }
        if (UnsafeCharacters.check(raw, "timeZone", errors)) {
            return null;
        }
        try {
            String zone = raw.strip();
            if (!ZoneId.getAvailableZoneIds().contains(zone)) {
                throw new DateTimeException(zone);
            }
            return ZoneId.of(zone).getId();
        } catch (DateTimeException e) {
            errors.add(new FieldError("timeZone", "iana", "must be an IANA time zone such as Asia/Hong_Kong"));
            return null;
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
