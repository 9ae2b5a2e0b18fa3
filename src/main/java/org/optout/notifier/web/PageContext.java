package org.optout.notifier.web;

import java.net.URI;
import org.optout.notifier.subscription.Language;

/**
 * What the layout of every page needs: its language, its own path (forms post to sub-paths of it) and the link that
 * switches to the other language.
 */
public record PageContext(String lang, String path, String switchHref) {

    static PageContext of(Language language, URI requestUri) {
        Language other = language == Language.EN ? Language.ZH_HK : Language.EN;
        String path = requestUri.getRawPath();
        return new PageContext(language.tag(), path, path + "?lang=" + other.tag());
    }
}
