package org.optout.notifier.subscription;

import jakarta.enterprise.context.ApplicationScoped;
import org.optout.notifier.config.NotifierConfig;

/** The absolute URLs that mails carry. */
@ApplicationScoped
public class SubscriptionLinks {

    private final String baseUrl;
    private final Tokens tokens;

    SubscriptionLinks(NotifierConfig config, Tokens tokens) {
        this.baseUrl = config.baseUrl().replaceAll("/+$", "");
        this.tokens = tokens;
    }

    public String confirm(String confirmationToken) {
        return baseUrl + "/confirm/" + confirmationToken;
    }

    public String manage(Subscription subscription) {
        return baseUrl + "/manage/" + tokens.manageToken(subscription.tokenSalt);
    }

    public String unsubscribe(Subscription subscription) {
        return baseUrl + "/unsubscribe/" + tokens.unsubscribeToken(subscription.tokenSalt);
    }

    /**
     * A subscriber's manage and unsubscribe links and the start of their "I have already opted out" links (the change
     * id follows), as every reminder carries them: each token is an HMAC, derived once here.
     */
    public record Own(String manage, String unsubscribe, String optedOutPrefix) {
    }

    public Own own(Subscriber subscriber) {
        String unsubscribeToken = tokens.unsubscribeToken(subscriber.tokenSalt());
        return new Own(baseUrl + "/manage/" + tokens.manageToken(subscriber.tokenSalt()),
                baseUrl + "/unsubscribe/" + unsubscribeToken, baseUrl + "/opted-out/" + unsubscribeToken + "/");
    }

    public String home() {
        return baseUrl + "/";
    }
}
