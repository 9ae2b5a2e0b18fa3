package org.optout.notifier.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
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

    /** Runs a page that needs a valid token; an unknown or expired one gets the "link not valid" page (404). */
    static Response withValidLink(Language language, URI uri, Supplier<Response> page) {
        try {
            return page.get();
        } catch (NotFoundProblem e) {
            return html(Templates.unknownLink(PageContext.of(language, uri)), language, 404, null);
        }
    }

    static String unknownLinkHtml(Language language, URI uri) {
        return Templates.unknownLink(PageContext.of(language, uri)).setLocale(language.locale()).render();
    }

    static String badRequestHtml(Language language, URI uri) {
        return Templates.badRequest(PageContext.of(language, uri)).setLocale(language.locale()).render();
    }
}
