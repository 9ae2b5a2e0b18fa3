package org.optout.notifier.subscription;

import io.quarkus.mailer.MailTemplate.MailTemplateInstance;
import io.quarkus.qute.CheckedTemplate;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.optout.notifier.config.NotifierConfig;

/**
 * The mails of the sign-up flow, in the language the sign-up asked for. Sending blocks until the SMTP server accepted the mail, so that a failure rolls
 * back the caller's transaction and the request is tried again.
 */
@ApplicationScoped
public class SubscriptionMailer {

    @CheckedTemplate
    static class Templates {
        static native MailTemplateInstance confirmation(String lang, PreferencesSummary summary, String confirmLink,
                long validHours);

        static native MailTemplateInstance alreadySubscribed(String lang, String manageLink, String unsubscribeLink);

    }

    private final SubscriptionLinks links;
    private final PreferencesSummary.Factory summaries;
    private final Duration sendTimeout;

    SubscriptionMailer(SubscriptionLinks links, PreferencesSummary.Factory summaries, NotifierConfig config) {
        this.links = links;
        this.summaries = summaries;
        this.sendTimeout = config.delivery().sendTimeout();
    }

    void sendConfirmation(String email, Preferences preferences, String token, Duration validity) {
        Language language = Language.fromTag(preferences.language()).orElse(Language.EN);
        MailLanguage.in(language, Templates.confirmation(language.tag(), summaries.of(preferences, language),
                        links.confirm(token), validity.toHours()))
                .to(email)
                .subject(MailLanguage.texts(language).confirmSubject())
                .send().await().atMost(sendTimeout);
    }

    void sendAlreadySubscribed(Subscription subscription) {
        Language language = Language.fromTag(subscription.language).orElse(Language.EN);
        MailLanguage.in(language, Templates.alreadySubscribed(language.tag(), links.manage(subscription),
                        links.unsubscribe(subscription)))
                .to(subscription.email)
                .subject(MailLanguage.texts(language).alreadySubject())
                .send().await().atMost(sendTimeout);
    }
}
