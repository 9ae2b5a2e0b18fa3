package org.optout.notifier.delivery;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MailTemplate.MailTemplateInstance;
import io.quarkus.qute.CheckedTemplate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import org.optout.notifier.policy.PolicyChangeCatalog;
import org.optout.notifier.policy.PolicyChangeView;
import org.optout.notifier.subscription.Language;
import org.optout.notifier.subscription.MailLanguage;
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

    /** A change already in effect, in the subscriber's language (the change's translation when it has one). */
    public record InEffect(String title, String since, List<String> steps, String url) {

        static InEffect of(PolicyChangeView change, Language language) {
            return new InEffect(change.title(language),
                    DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(language.locale())
                            .format(change.effectiveDate()),
                    change.steps(language), change.optOut().url());
        }
    }

    @CheckedTemplate
    static class Templates {
        static native MailTemplateInstance welcome(String lang, PreferencesSummary summary, List<InEffect> inEffect,
                String manageLink, String unsubscribeLink);
    }

    private final PolicyChangeCatalog catalog;
    private final SubscriptionLinks links;
    private final PreferencesSummary.Factory summaries;
    private final Clock clock;
    private final BackgroundMail mail;

    WelcomeMailer(PolicyChangeCatalog catalog, SubscriptionLinks links, PreferencesSummary.Factory summaries,
            Clock clock, BackgroundMail mail) {
        this.catalog = catalog;
        this.links = links;
        this.summaries = summaries;
        this.clock = clock;
        this.mail = mail;
    }

    /**
     * After the confirmation committed, in the background; a failure is logged, the subscription stands and the
     * manage link works.
     */
    void onConfirmed(@Observes(during = TransactionPhase.AFTER_SUCCESS) SubscriptionConfirmed event) {
        Subscription subscription = event.subscription();
        mail.send(() -> welcome(subscription), "Welcome mail for subscription " + subscription.id);
    }

    private MailTemplateInstance welcome(Subscription subscription) {
        Language language = Language.fromTag(subscription.language).orElse(Language.EN);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneId.of(subscription.timeZone));
        List<InEffect> inEffect = catalog.inEffectSince(subscription.country, subscription.platforms,
                today.minusDays(RECENT_DAYS)).stream().map(change -> InEffect.of(change, language)).toList();
        String unsubscribe = links.unsubscribe(subscription);
        return MailLanguage.in(language, Templates.welcome(language.tag(), summaries.of(subscription.preferences(),
                        language), inEffect, links.manage(subscription), unsubscribe))
                .mail(new Mail()
                        .addHeader("List-Unsubscribe", "<" + unsubscribe + ">")
                        .addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
                .to(subscription.email)
                .subject(MailLanguage.texts(language).welcomeSubject());
    }
}
