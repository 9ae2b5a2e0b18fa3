package org.optout.notifier.region;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.Collections;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Countries (ISO 3166-1 alpha-2), the region groups that policy changes name ({@code EU}, {@code EEA},
 * {@code WORLD}), and each country's default time zone. Plain reference data, no state.
 */
public final class Regions {

    public static final String EU = "EU";
    public static final String EEA = "EEA";
    public static final String WORLD = "WORLD";

    private static final Set<String> EU_MEMBERS = Set.of("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR",
            "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE");
    private static final Set<String> EEA_ONLY = Set.of("IS", "LI", "NO");

    private static final Properties DEFAULT_ZONES = load("/regions/country-time-zones.properties");
    private static final SortedSet<String> COUNTRIES = loadCountries();

    private Regions() {
    }

    /** Every country a subscriber can choose: ISO codes that have a time zone in the tz database. */
    public static SortedSet<String> countries() {
        return COUNTRIES;
    }

    private static SortedSet<String> loadCountries() {
        SortedSet<String> countries = new TreeSet<>(Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA2));
        countries.retainAll(DEFAULT_ZONES.stringPropertyNames());
        return Collections.unmodifiableSortedSet(countries);
    }

    /** The ISO code for what a person typed: upper-cased, {@code UK} read as {@code GB}; empty if unknown. */
    public static Optional<String> country(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String upper = code.trim().toUpperCase(Locale.ROOT);
        String iso = upper.equals("UK") ? "GB" : upper;
        return COUNTRIES.contains(iso) ? Optional.of(iso) : Optional.empty();
    }

    /** The members of a group, or the country itself. */
    public static Set<String> expand(String region) {
        return switch (region) {
            case EU -> EU_MEMBERS;
            case EEA -> union(EU_MEMBERS, EEA_ONLY);
            case WORLD -> COUNTRIES;
            default -> country(region).map(Set::of).orElse(Set.of());
        };
    }

    public static Set<String> groups() {
        return Set.of(EU, EEA, WORLD);
    }

    /** The zone of the country's capital or, for countries with several zones, of most of its people. */
    public static ZoneId defaultZone(String country) {
        return ZoneId.of(DEFAULT_ZONES.getProperty(country));
    }

    public static String displayName(String country, Locale locale) {
        return new Locale("", country).getDisplayCountry(locale);
    }

    private static Set<String> union(Set<String> first, Set<String> second) {
        Set<String> union = new TreeSet<>(first);
        union.addAll(second);
        return Collections.unmodifiableSet(union);
    }

    private static Properties load(String resource) {
        try (InputStream in = Regions.class.getResourceAsStream(resource)) {
            Properties properties = new Properties();
            properties.load(in);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
