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

    /** The page with the "I have already opted out" button for one change. */
    public String optedOut(Subscription subscription, String changeId) {
        return baseUrl + "/opted-out/" + tokens.unsubscribeToken(subscription.tokenSalt) + "/" + changeId;
    }

    public String home() {
        return baseUrl + "/";
    }
}
