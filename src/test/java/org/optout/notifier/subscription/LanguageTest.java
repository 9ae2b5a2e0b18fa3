package org.optout.notifier.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LanguageTest {

    @Test
    void acceptLanguagePicksTheFirstSupportedOne() {
        assertThat(Language.fromAcceptLanguage("zh-HK,zh;q=0.9,en;q=0.8")).isEqualTo(Language.ZH_HK);
        assertThat(Language.fromAcceptLanguage("zh-TW")).isEqualTo(Language.ZH_HK);
        assertThat(Language.fromAcceptLanguage("fr-FR,en;q=0.5")).isEqualTo(Language.EN);
        assertThat(Language.fromAcceptLanguage(null)).isEqualTo(Language.EN);
        assertThat(Language.fromAcceptLanguage(";;;q=x")).isEqualTo(Language.EN);
    }

    @Test
    void tagsAreMatchedWithoutRegardToCase() {
        assertThat(Language.fromTag("ZH-hk")).contains(Language.ZH_HK);
        assertThat(Language.fromTag("fr")).isEmpty();
    }
}
