package org.optout.notifier.admin;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.optout.notifier.ratelimit.ClientNetworks;

/**
 * Slows down guessing the operator's password: a client network whose wrong credentials were refused
 * {@value #MAX_FAILURES} times within {@link #WINDOW} gets {@code 429} on {@code /api/admin} until the window passes,
 * right password or not. Kept in memory per instance (a guesser spread over replicas gets that many tries per
 * replica), because the check runs on the event loop before authentication, where no database call belongs.
 * Requests without credentials (a browser's first try) do not count.
 */
@ApplicationScoped
public class AdminLoginThrottle {

    static final int MAX_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(15);
    private static final String ADMIN_PATH = "/api/admin";

    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    AdminLoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** First of all handlers: authentication must not even look at a shut-out network's credentials. */
    void register(@Observes Router router) {
        router.route(ADMIN_PATH + "*").order(Integer.MIN_VALUE).handler(this::throttle);
    }

    private void throttle(RoutingContext context) {
        String client = ClientNetworks.of(context.request().remoteAddress().hostAddress());
        if (recentFailures(client) >= MAX_FAILURES) {
            context.response().setStatusCode(429).putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(WINDOW.toSeconds()))
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                    .end("{\"type\":\"about:blank\",\"title\":\"Too many requests\",\"status\":429,"
                            + "\"detail\":\"Too many refused logins from your network; try again later.\"}");
            return;
        }
        if (context.request().headers().contains(HttpHeaders.AUTHORIZATION)) {
            context.addHeadersEndHandler(ended -> {
                if (context.response().getStatusCode() == 401) {
                    failures.computeIfAbsent(client, key -> new ConcurrentLinkedDeque<>()).add(clock.instant());
                    Log.warnf("Operator login refused for client network %s", client);
                }
            });
        }
        context.next();
    }

    private int recentFailures(String client) {
        Deque<Instant> times = failures.get(client);
        if (times == null) {
            return 0;
        }
        Instant since = clock.instant().minus(WINDOW);
        times.removeIf(time -> time.isBefore(since));
        return times.size();
    }

    /** Forgets clients whose failures are all older than the window, so that the map cannot grow without bound. */
    @Scheduled(every = "1m", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void forget() {
        failures.keySet().removeIf(client -> recentFailures(client) == 0);
    }
}
