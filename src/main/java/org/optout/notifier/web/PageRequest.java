package org.optout.notifier.web;

import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Optional;
import org.optout.notifier.subscription.Language;

/**
 * What every page request says about the visitor's language, and where it was made. The language is an explicit
 * {@code ?lang=} (then remembered in a cookie), the remembered choice, the subscriber's own language on pages reached
 * from their mails, or the browser's {@code Accept-Language}.
 */
public class PageRequest {

    static final String COOKIE = "lang";

    @QueryParam("lang")
    String lang;

    @CookieParam(COOKIE)
    String cookie;

    @HeaderParam("Accept-Language")
    String acceptLanguage;

    @Context
    UriInfo uri;

    Language language() {
        return explicit().orElseGet(() -> Language.fromAcceptLanguage(acceptLanguage));
    }

    /** On a page about a subscriber: their language unless the visitor chose one. */
    Language language(String subscriberLanguage) {
        return explicit().or(() -> Language.fromTag(subscriberLanguage)).orElseGet(this::language);
    }

    PageContext context(Language language) {
        return PageContext.of(language, uri.getRequestUri());
    }

    URI requestUri() {
        return uri.getRequestUri();
    }

    UriInfo uri() {
        return uri;
    }

    /** The cookie that remembers an explicit choice, or null when none was made. */
    NewCookie rememberedChoice() {
        return Language.fromTag(lang)
                .map(language -> new NewCookie.Builder(COOKIE).value(language.tag()).path("/")
                        .maxAge(365 * 24 * 3600).sameSite(NewCookie.SameSite.LAX).httpOnly(true).build())
                .orElse(null);
    }

    private Optional<Language> explicit() {
        return Language.fromTag(lang).or(() -> Language.fromTag(cookie));
    }
}
