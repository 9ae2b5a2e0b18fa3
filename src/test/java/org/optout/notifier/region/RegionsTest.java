package org.optout.notifier.region;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class RegionsTest {

    @Test
    void everyCountryHasAValidDefaultZone() {
        assertThat(Regions.countries()).hasSizeGreaterThan(240);
        for (String country : Regions.countries()) {
            assertThat(ZoneId.getAvailableZoneIds()).as(country).contains(Regions.defaultZone(country).getId());
        }
    }

    @Test
    void multiZoneCountriesDefaultToTheirMostPopulousZone() {
        assertThat(Regions.defaultZone("US")).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(Regions.defaultZone("CA")).isEqualTo(ZoneId.of("America/Toronto"));
        assertThat(Regions.defaultZone("AU")).isEqualTo(ZoneId.of("Australia/Sydney"));
        assertThat(Regions.defaultZone("BR")).isEqualTo(ZoneId.of("America/Sao_Paulo"));
        assertThat(Regions.defaultZone("RU")).isEqualTo(ZoneId.of("Europe/Moscow"));
        assertThat(Regions.defaultZone("HK")).isEqualTo(ZoneId.of("Asia/Hong_Kong"));
    }

    @Test
    void ukIsReadAsGbAndUnknownCodesAreRefused() {
        assertThat(Regions.country("uk")).contains("GB");
        assertThat(Regions.country(" hk ")).contains("HK");
        assertThat(Regions.country("XX")).isEmpty();
        assertThat(Regions.country("EU")).as("a group is not a country").isEmpty();
    }

    @Test
    void groupsExpandToTheirMembers() {
        assertThat(Regions.expand(Regions.EU)).hasSize(27).contains("DE", "IE").doesNotContain("NO", "CH", "GB");
        assertThat(Regions.expand(Regions.EEA)).hasSize(30).contains("NO", "IS", "LI").doesNotContain("CH");
        assertThat(Regions.expand(Regions.WORLD)).isEqualTo(Regions.countries());
        assertThat(Regions.expand("UK")).containsExactly("GB");
    }

    @Test
    void namesComeInThePageLanguage() {
        assertThat(Regions.displayName("DE", Locale.ENGLISH)).isEqualTo("Germany");
        assertThat(Regions.displayName("DE", Locale.forLanguageTag("zh-HK"))).isEqualTo("德國");
    }
}
