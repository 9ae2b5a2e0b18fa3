package org.optout.notifier.subscription;

import io.quarkus.mailer.MailTemplate.MailTemplateInstance;
import io.quarkus.qute.CheckedTemplate;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The mails of the sign-up flow. Sending blocks until the SMTP server accepted the mail, so that a failure rolls
 * back the caller's transaction and the request is tried again.
 */
@ApplicationScoped
public class SubscriptionMailer {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    @CheckedTemplate
    static class Templates {
        static native MailTemplateInstance confirmation(PreferencesSummary summary, String confirmLink, long validHours);

        static native MailTemplateInstance alreadySubscribed(String manageLink, String unsubscribeLink);

    }

    private final SubscriptionLinks links;
    private final PreferencesSummary.Factory summaries;

    SubscriptionMailer(SubscriptionLinks links, PreferencesSummary.Factory summaries) {
        this.links = links;
        this.summaries = summaries;
    }

    void sendConfirmation(String email, Preferences preferences, String token, Duration validity) {
        Templates.confirmation(summary(preferences), links.confirm(token), validity.toHours())
                .to(email)
                .subject("Confirm your opt-out deadline reminders")
                .send().await().atMost(SEND_TIMEOUT);
    }

    void sendAlreadySubscribed(Subscription subscription) {
        Templates.alreadySubscribed(links.manage(subscription), links.unsubscribe(subscription))
                .to(subscription.email)
                .subject("You already get opt-out deadline reminders")
                .send().await().atMost(SEND_TIMEOUT);
    }

    private PreferencesSummary summary(Preferences preferences) {
        return summaries.of(preferences, Language.EN);
    }
}
