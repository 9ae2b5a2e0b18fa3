package org.optout.notifier.web;

import jakarta.ws.rs.core.NewCookie;
import java.util.Optional;
import org.optout.notifier.subscription.Language;

/**
 * Chooses the language of a page: an explicit {@code ?lang=} (then remembered in a cookie), the remembered choice,
 * the subscriber's own language on pages reached from their mails, or the browser's {@code Accept-Language}.
 */
final class PageLanguage {

    static final String COOKIE = "lang";

    private PageLanguage() {
    }

    static Language choose(String query, String cookie, String acceptLanguage) {
        return explicit(query, cookie).orElseGet(() -> Language.fromAcceptLanguage(acceptLanguage));
    }

    static Language choose(String query, String cookie, Language subscriberLanguage) {
        return explicit(query, cookie).orElse(subscriberLanguage);
    }

    /** The cookie that remembers an explicit choice, or null when none was made. */
    static NewCookie remember(String query) {
        return Language.fromTag(query)
                .map(language -> new NewCookie.Builder(COOKIE).value(language.tag()).path("/")
                        .maxAge(365 * 24 * 3600).sameSite(NewCookie.SameSite.LAX).httpOnly(true).build())
                .orElse(null);
    }

    private static Optional<Language> explicit(String query, String cookie) {
        return Language.fromTag(query).or(() -> Language.fromTag(cookie));
    }
}
