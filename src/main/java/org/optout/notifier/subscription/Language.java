package org.optout.notifier.subscription;

import java.util.Locale;
import java.util.Optional;

/** The languages of pages and mails. */
public enum Language {
    EN("en"),
    ZH_HK("zh-HK");

    private final String tag;

    Language(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    public Locale locale() {
        return Locale.forLanguageTag(tag);
    }

    public static Optional<Language> fromTag(String tag) {
        for (Language language : values()) {
            if (language.tag.equalsIgnoreCase(tag)) {
                return Optional.of(language);
            }
        }
        return Optional.empty();
    }

    /** The first supported language of an {@code Accept-Language} header (any Chinese reads as zh-HK), else English. */
    public static Language fromAcceptLanguage(String header) {
        try {
            for (Locale.LanguageRange range : Locale.LanguageRange.parse(header == null ? "en" : header)) {
                String tag = range.getRange().toLowerCase(Locale.ROOT);
                if (tag.startsWith("zh")) {
                    return ZH_HK;
                }
                if (tag.startsWith("en")) {
                    return EN;
                }
            }
        } catch (IllegalArgumentException malformedHeader) {
            // A broken header is no reason to refuse a page: fall back to English.
        }
        return EN;
    }
}
