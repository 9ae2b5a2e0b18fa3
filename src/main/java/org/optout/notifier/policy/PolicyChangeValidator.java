package org.optout.notifier.policy;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.optout.notifier.platform.PlatformCatalogue;
import org.optout.notifier.problem.FieldError;
import org.optout.notifier.problem.UnsafeCharacters;
import org.optout.notifier.region.Regions;
import org.optout.notifier.subscription.Language;

/**
 * Checks the data of a policy change against every rule of the contract and reports all broken rules at once, each
 * with its field and rule, e.g. {@code data.platforms[1]: must be a platform of /api/platforms (catalogue)}.
 * Texts end up in mail subjects and bodies, so control characters and bidirectional overrides are refused in every
 * one of them.
 */
@ApplicationScoped
public class PolicyChangeValidator {

    static final Pattern CHANGE_ID = Pattern.compile("[a-z0-9-]{1,100}");
    static final int MAX_TITLE = 200;
    static final int MAX_SUMMARY = 2000;
    static final int MAX_SHORT_TEXT = 200;
    static final int MAX_STEP = 500;
    static final int MAX_ITEMS = 30;
    /** Every country and the three groups: a longer list is a mistake, not an audience. */
    static final int MAX_REGIONS = 260;
    static final int MIN_YEAR = 1970;
    static final int MAX_YEAR = 9999;

    /** Whether a text field must be there, and whether it may be blank. */
    private enum Presence { REQUIRED, OPTIONAL, MAY_BE_BLANK }

    private static final Pattern REGION = Pattern.compile("[A-Z]{2}|EU|EEA|WORLD");

    private final PlatformCatalogue platforms;

    PolicyChangeValidator(PlatformCatalogue platforms) {
        this.platforms = platforms;
    }

    /** @return the normalised change, or the errors when the list of errors it fills is not empty */
    public ValidPolicyChange validate(PolicyChangeData data, List<FieldError> errors) {
        Checks checks = new Checks(errors);
        checks.matches("data.changeId", data.changeId(), CHANGE_ID, "1 to 100 of a-z, 0-9 and -");
        int revision = checks.revision(data.revision());
        PolicyChangeStatus status = checks.status(data.status());
        Set<String> platformCodes = checks.platforms(data.platforms());
        Set<String> included = checks.regions("data.regions", data.regions(), true);
        Set<String> excluded = checks.regions("data.excludedRegions", data.excludedRegions(), false);
        Set<String> countries = new TreeSet<>(included);
        countries.removeAll(excluded);
        if (!included.isEmpty() && countries.isEmpty()) {
            errors.add(new FieldError("data.excludedRegions", "leaves-no-country",
                    "must leave at least one country of the regions"));
        }
        LocalDate effectiveDate = checks.date("data.effectiveDate", data.effectiveDate());
        Instant effectiveAt = checks.instant("data.effectiveAt", data.effectiveAt());
        checks.text("data.title", data.title(), MAX_TITLE, Presence.REQUIRED);
        checks.text("data.summary", data.summary(), MAX_SUMMARY, Presence.MAY_BE_BLANK);
        checks.texts("data.dataUsed", data.dataUsed(), MAX_SHORT_TEXT, false);
        checks.texts("data.excluded", data.excluded(), MAX_SHORT_TEXT, false);
        checks.optOut(data.optOut());
        checks.urls("data.sources", data.sources());
        checks.translations(data.translations());
        return new ValidPolicyChange(data.changeId(), revision, status, platformCodes, countries, effectiveDate,
                effectiveAt, data.title(), Boolean.TRUE.equals(data.dryRun()), data);
    }

    /** The rules, each adding to the same list of errors. */
    private final class Checks {

        private final List<FieldError> errors;

        Checks(List<FieldError> errors) {
            this.errors = errors;
        }

        void matches(String field, String value, Pattern pattern, String rule) {
            if (value == null) {
                required(field);
            } else if (!pattern.matcher(value).matches()) {
                errors.add(new FieldError(field, "pattern", "must be " + rule));
            }
        }

        int revision(Integer revision) {
            if (revision == null) {
                required("data.revision");
                return 0;
            }
            if (revision < 1) {
                errors.add(new FieldError("data.revision", "minimum", "must be an integer >= 1"));
            }
            return revision;
        }

        PolicyChangeStatus status(String status) {
            if (status == null) {
                return PolicyChangeStatus.ACTIVE;
            }
            try {
                return PolicyChangeStatus.valueOf(status);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("data.status", "enum", "must be ACTIVE or CANCELLED"));
                return PolicyChangeStatus.ACTIVE;
            }
        }

        Set<String> platforms(List<String> codes) {
            Set<String> valid = new TreeSet<>();
            if (codes == null || codes.isEmpty()) {
                errors.add(new FieldError("data.platforms", "required", "must name at least one platform"));
                return valid;
            }
            if (tooMany("data.platforms", codes, MAX_ITEMS)) {
                return valid;
            }
            for (int i = 0; i < codes.size(); i++) {
                String code = codes.get(i);
                if (platforms.contains(code)) {
                    valid.add(code);
                } else {
                    errors.add(new FieldError("data.platforms[" + i + "]", "catalogue",
                            "must be a platform of /api/platforms, not " + quoted(code)));
                }
            }
            return valid;
        }

        Set<String> regions(String field, List<String> regions, boolean required) {
            Set<String> countries = new TreeSet<>();
            if (regions == null || regions.isEmpty()) {
                if (required) {
                    errors.add(new FieldError(field, "required", "must name at least one region"));
                }
                return countries;
            }
            if (tooMany(field, regions, MAX_REGIONS)) {
                return countries;
            }
            for (int i = 0; i < regions.size(); i++) {
                String region = regions.get(i) == null ? "" : regions.get(i);
                Set<String> expanded = REGION.matcher(region).matches() ? Regions.expand(region) : Set.of();
                if (expanded.isEmpty()) {
                    errors.add(new FieldError(field + "[" + i + "]", "region",
                            "must be an ISO 3166-1 alpha-2 code or EU, EEA or WORLD, not " + quoted(regions.get(i))));
                }
                countries.addAll(expanded);
            }
            return countries;
        }

        LocalDate date(String field, String value) {
            if (value == null) {
                required(field);
                return null;
            }
            try {
                LocalDate date = LocalDate.parse(value, DateTimeFormatter.ISO_LOCAL_DATE);
                if (storable(field, date.getYear())) {
                    return date;
                }
            } catch (DateTimeParseException e) {
                errors.add(new FieldError(field, "date", "must be a date as YYYY-MM-DD"));
            }
            return null;
        }

        Instant instant(String field, String value) {
            if (value == null) {
                return null;
            }
            try {
                OffsetDateTime instant = OffsetDateTime.parse(value);
                if (storable(field, instant.getYear())) {
                    return instant.toInstant();
                }
            } catch (DateTimeParseException e) {
                errors.add(new FieldError(field, "date-time",
                        "must be an ISO-8601 instant with an offset, e.g. 2025-11-03T00:00:00+08:00"));
            }
            return null;
        }

        /**
         * Java parses years far outside what the databases store ({@code -5000-01-01}); such a value would fail in
         * the database as if it were down, so it is a broken rule instead, as the contract's pattern says.
         */
        private boolean storable(String field, int year) {
            if (year >= MIN_YEAR && year <= MAX_YEAR) {
                return true;
            }
            errors.add(new FieldError(field, "range", "must be in the years " + MIN_YEAR + " to " + MAX_YEAR));
            return false;
        }

        void text(String field, String value, int max, Presence presence) {
            if (value == null) {
                if (presence == Presence.REQUIRED) {
                    required(field);
                }
                return;
            }
            if (value.isBlank() && presence != Presence.MAY_BE_BLANK) {
                errors.add(new FieldError(field, "required", "must not be blank"));
                return;
            }
            if (value.length() > max) {
                errors.add(new FieldError(field, "max-length", "must be at most " + max + " characters"));
            }
            UnsafeCharacters.check(value, field, errors);
        }

        /** Past the limit the items are not checked one by one: 40,000 errors would make a reason of megabytes. */
        private boolean tooMany(String field, List<?> values, int max) {
            if (values.size() <= max) {
                return false;
            }
            errors.add(new FieldError(field, "max-items", "must have at most " + max + " items"));
            return true;
        }

        void texts(String field, List<String> values, int max, boolean required) {
            if (values == null || values.isEmpty()) {
                if (required) {
                    errors.add(new FieldError(field, "required", "must have at least one item"));
                }
                return;
            }
            if (tooMany(field, values, MAX_ITEMS)) {
                return;
            }
            for (int i = 0; i < values.size(); i++) {
                text(field + "[" + i + "]", values.get(i), max, Presence.REQUIRED);
            }
        }

        void optOut(PolicyChangeData.OptOut optOut) {
            if (optOut == null) {
                required("data.optOut");
                return;
            }
            texts("data.optOut.steps", optOut.steps(), MAX_STEP, true);
            url("data.optOut.url", optOut.url(), true);
        }

        void urls(String field, List<String> urls) {
            if (urls != null && !tooMany(field, urls, MAX_ITEMS)) {
                for (int i = 0; i < urls.size(); i++) {
                    url(field + "[" + i + "]", urls.get(i), true);
                }
            }
        }

        void url(String field, String value, boolean required) {
            if (value == null) {
                if (required) {
                    required(field);
                }
                return;
            }
            try {
                URI uri = new URI(value);
                if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    errors.add(new FieldError(field, "https-url", "must be an https URL"));
                }
            } catch (URISyntaxException e) {
                errors.add(new FieldError(field, "https-url", "must be an https URL"));
            }
        }

        void translations(Map<String, PolicyChangeData.Translation> translations) {
            if (translations == null || tooMany("data.translations", List.copyOf(translations.keySet()), MAX_ITEMS)) {
                return;
            }
            translations.forEach((language, translation) -> {
                String field = "data.translations." + language;
                if (!Language.ZH_HK.tag().equals(language)) {
                    errors.add(new FieldError(field, "language", "must be zh-HK (English is the event itself)"));
                } else if (translation == null) {
                    required(field);
                } else {
                    text(field + ".title", translation.title(), MAX_TITLE, Presence.OPTIONAL);
                    text(field + ".summary", translation.summary(), MAX_SUMMARY, Presence.MAY_BE_BLANK);
                    texts(field + ".steps", translation.steps(), MAX_STEP, false);
                }
            });
        }

        private void required(String field) {
            errors.add(new FieldError(field, "required", "is required"));
        }
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "\"";
    }
}
