package org.optout.notifier.delivery;

import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MailTemplate.MailTemplateInstance;
import io.quarkus.qute.CheckedTemplate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.optout.notifier.policy.PolicyChangeCatalog;
import org.optout.notifier.policy.PolicyChangeView;
import org.optout.notifier.subscription.Language;
import org.optout.notifier.subscription.PreferencesSummary;
import org.optout.notifier.subscription.Subscription;
import org.optout.notifier.subscription.SubscriptionConfirmed;
import org.optout.notifier.subscription.SubscriptionLinks;

/**
 * The mail that follows a confirmation: the preferences, the links to change them or leave, and the changes already
 * in effect for the subscriber's country and platforms (in the last 30 days) with their opt-out steps, because
 * opting out late still stops future use.
 */
@ApplicationScoped
public class WelcomeMailer {

    static final int RECENT_DAYS = 30;
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    @CheckedTemplate
    static class Templates {
        static native MailTemplateInstance welcome(PreferencesSummary summary, List<PolicyChangeView> inEffect,
                String manageLink, String unsubscribeLink);
    }

    private final PolicyChangeCatalog catalog;
    private final SubscriptionLinks links;
    private final PreferencesSummary.Factory summaries;
    private final Clock clock;

    WelcomeMailer(PolicyChangeCatalog catalog, SubscriptionLinks links, PreferencesSummary.Factory summaries,
            Clock clock) {
        this.catalog = catalog;
        this.links = links;
        this.summaries = summaries;
        this.clock = clock;
    }

    /** After the confirmation committed; a failure is logged, the subscription stands and the manage link works. */
    void onConfirmed(@Observes(during = TransactionPhase.AFTER_SUCCESS) SubscriptionConfirmed event) {
        Subscription subscription = event.subscription();
        try {
            LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneId.of(subscription.timeZone));
            List<PolicyChangeView> inEffect = catalog.inEffectSince(subscription.country, subscription.platforms,
                    today.minusDays(RECENT_DAYS));
            String unsubscribe = links.unsubscribe(subscription);
            Templates.welcome(summaries.of(subscription.preferences(), Language.EN), inEffect,
                            links.manage(subscription), unsubscribe)
                    .mail(new Mail()
                            .addHeader("List-Unsubscribe", "<" + unsubscribe + ">")
                            .addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
                    .to(subscription.email)
                    .subject("Your opt-out deadline reminders are on")
                    .send().await().atMost(SEND_TIMEOUT);
        } catch (RuntimeException e) {
            Log.warnf("Welcome mail for subscription %d not sent: %s", subscription.id, e.getMessage());
        }
    }
}
