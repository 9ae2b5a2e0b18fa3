package org.optout.notifier.subscription;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.optout.notifier.config.NotifierConfig;
import org.optout.notifier.problem.FieldError;
import org.optout.notifier.problem.InvalidRequestException;
import org.optout.notifier.ratelimit.ClientNetworks;
import org.optout.notifier.ratelimit.RateLimiter;

/** The one way into the sign-up flow for the web form and the REST API: rate limit, validate, queue. */
@ApplicationScoped
public class SignUp {

    private final RateLimiter rateLimiter;
    private final SubscriptionValidator validator;
    private final SubscriptionService service;
    private final Tokens tokens;
    private final NotifierConfig.RateLimit limits;

    SignUp(RateLimiter rateLimiter, SubscriptionValidator validator, SubscriptionService service, Tokens tokens,
            NotifierConfig config) {
        this.rateLimiter = rateLimiter;
        this.validator = validator;
        this.service = service;
        this.tokens = tokens;
        this.limits = config.rateLimit();
    }

    /**
     * @throws org.optout.notifier.ratelimit.RateLimitedException when the client IP went over its budget
     * @throws InvalidRequestException listing every broken rule
     */
    public SignUpAccepted accept(SubscriptionRequest request, Language language, String clientIp, Origin origin) {
        String bucket = "sign-up:" + tokens.pseudonym(ClientNetworks.of(clientIp));
        ValidatedRequest validated;
        try {
            if (request == null) {
                throw new InvalidRequestException(List.of(new FieldError("body", "required", "is required")));
            }
            validated = validator.validate(request, language);
        } catch (InvalidRequestException invalid) {
            // Invalid requests count too, and a client over its budget hears that first.
            rateLimiter.acquire(bucket, limits.signUpsPerWindow(), limits.window(), () -> {
            });
            throw invalid;
        }
        rateLimiter.acquire(bucket, limits.signUpsPerWindow(), limits.window(),
                () -> service.receive(validated, origin, null));
        return SignUpAccepted.of(validated);
    }
}
