package org.optout.notifier.subscription;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.optout.notifier.problem.FieldError;
import org.optout.notifier.problem.InvalidRequestException;
import org.optout.notifier.ratelimit.ClientNetworks;

/** The one way into the sign-up flow for the web form and the REST API: rate limit, validate, queue. */
@ApplicationScoped
public class SignUp {

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
     * @throws jakarta.ws.rs.ServiceUnavailableException when sign-ups cannot be stored now (see {@link SignUpWriter})
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
            writer.store(bucket, null, origin);
            throw invalid;
        }
        writer.store(bucket, validated, origin);
        return SignUpAccepted.of(validated);
    }
}
