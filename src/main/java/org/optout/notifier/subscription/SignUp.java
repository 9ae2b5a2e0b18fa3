package org.optout.notifier.subscription;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.optout.notifier.problem.FieldError;
import org.optout.notifier.problem.InvalidRequestException;
import org.optout.notifier.ratelimit.ClientNetworks;

/** The one way into the sign-up flow for the web form and the REST API: rate limit, validate, queue. */
@ApplicationScoped
public class SignUp {

    /** Longer than any commit of a healthy database; then the request fails rather than holding its thread. */
    private static final long WAIT_SECONDS = 30;

    private final SignUpWriter writer;
    private final SubscriptionValidator validator;
    private final Tokens tokens;

    SignUp(SignUpWriter writer, SubscriptionValidator validator, Tokens tokens) {
        this.writer = writer;
        this.validator = validator;
        this.tokens = tokens;
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
            await(writer.write(bucket, null, origin));
            throw invalid;
        }
        await(writer.write(bucket, validated, origin));
        return SignUpAccepted.of(validated);
    }

    private static void await(CompletableFuture<Void> stored) {
        try {
            stored.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("sign-up not stored within " + WAIT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
