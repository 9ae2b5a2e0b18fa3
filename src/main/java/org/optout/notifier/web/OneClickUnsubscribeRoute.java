package org.optout.notifier.web;

import io.quarkus.logging.Log;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import org.optout.notifier.problem.NotFoundProblem;
import org.optout.notifier.subscription.Language;
import org.optout.notifier.subscription.Subscription;
import org.optout.notifier.subscription.SubscriptionService;

/**
 * RFC 8058 one-click unsubscribe: {@code POST /unsubscribe/{token}} with the body {@code List-Unsubscribe=One-Click}.
 * Mail providers send it with no cookie and no CSRF token, so it is a plain Vert.x route, outside the REST layer and
 * its CSRF filter, on purpose: the unguessable token in the path is the proof. The GET on the same link is
 * {@link UnsubscribePage}, which never unsubscribes by itself.
 */
@ApplicationScoped
public class OneClickUnsubscribeRoute {

    /** Where the pages' language switch points from here: the unsubscribe link itself is not to be repeated. */
    private static final URI HOME = URI.create("/");

    private final SubscriptionService service;

    OneClickUnsubscribeRoute(SubscriptionService service) {
        this.service = service;
    }

    void register(@Observes Router router) {
        router.route(HttpMethod.POST, "/unsubscribe/:token").order(-10)
                .handler(BodyHandler.create().setBodyLimit(4096).setHandleFileUploads(false))
                .blockingHandler(this::unsubscribe);
    }

    private void unsubscribe(RoutingContext context) {
        Language browser = Language.fromAcceptLanguage(context.request().getHeader("Accept-Language"));
        // URL-encoded or multipart (RFC 8058 shows both): the body handler parses either into form attributes.
        if (!"One-Click".equals(context.request().getFormAttribute("List-Unsubscribe"))) {
            respond(context, 400, Pages.badRequestHtml(browser, HOME));
            return;
        }
        try {
            Subscription subscription = service.unsubscribe(context.pathParam("token"));
            Language language = Language.fromTag(subscription.language).orElse(browser);
            respond(context, 200, UnsubscribePage.unsubscribedHtml(language, HOME));
        } catch (NotFoundProblem unknownToken) {
            respond(context, 404, Pages.unknownLinkHtml(browser, HOME));
        } catch (RuntimeException e) {
            Log.errorf("One-click unsubscribe failed: %s", e.getClass().getName());
            context.response().setStatusCode(500).end();
        }
    }

    private static void respond(RoutingContext context, int status, String html) {
        context.response().setStatusCode(status)
                .putHeader("Content-Type", "text/html;charset=UTF-8")
                .putHeader("Cache-Control", "no-store")
                .end(html);
    }
}
