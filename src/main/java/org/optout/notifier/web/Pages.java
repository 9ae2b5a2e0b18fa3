package org.optout.notifier.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.optout.notifier.problem.NotFoundProblem;
import org.optout.notifier.subscription.Language;

/** Rendering shared by the pages: language, status, headers, and the page for a link that is not valid. */
final class Pages {

    @CheckedTemplate(basePath = "Pages")
    static class Templates {
        static native TemplateInstance unknownLink(PageContext page);

        static native TemplateInstance badRequest(PageContext page);
    }

    private Pages() {
    }

    static Response html(TemplateInstance template, Language language, int status, NewCookie cookie) {
        Response.ResponseBuilder response = Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(template.setLocale(language.locale()).render())
                .header("Cache-Control", "no-store");
        if (cookie != null) {
            response.cookie(cookie);
        }
        return response.build();
    }

    /**
     * A page reached with a token from a mail: {@code find} looks up what the token stands for, and {@code render}
     * shows (or changes) it in the subscriber's language. A token that is unknown, expired or used up, at either
     * step, gets the "link not valid" page (404).
     */
    static <T> Response forLink(PageRequest request, Supplier<T> find, Function<T, String> subscriberLanguage,
            BiFunction<T, Language, Response> render) {
        try {
            T found = find.get();
            return render.apply(found, request.language(subscriberLanguage.apply(found)));
        } catch (NotFoundProblem e) {
            Language language = request.language();
            return html(Templates.unknownLink(request.context(language)), language, 404, null);
        }
    }

    static String unknownLinkHtml(Language language, URI uri) {
        return Templates.unknownLink(PageContext.of(language, uri)).setLocale(language.locale()).render();
    }

    static String badRequestHtml(Language language, URI uri) {
        return Templates.badRequest(PageContext.of(language, uri)).setLocale(language.locale()).render();
    }
}
