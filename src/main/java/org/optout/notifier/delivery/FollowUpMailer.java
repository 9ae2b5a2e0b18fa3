package org.optout.notifier.delivery;

import io.quarkus.mailer.MailTemplate.MailTemplateInstance;
import io.quarkus.qute.CheckedTemplate;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneId;
import java.util.List;
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.policy.PolicyChangeCatalog;
import org.optout.notifier.policy.PolicyChangeView;
import org.optout.notifier.subscription.Language;
import org.optout.notifier.subscription.MailLanguage;
import org.optout.notifier.subscription.MailTexts;
import org.optout.notifier.subscription.Subscription;
import org.optout.notifier.subscription.SubscriptionLinks;

/**
 * The short mail to someone already reminded of a change that then moved its date ("the deadline moved") or was called
 * off ("no longer needed"); several at once go out as one mail. 
 */
@ApplicationScoped
public class FollowUpMailer {

    /** Header listing the follow-ups a mail carries. */
    public static final String FOLLOW_UP_IDS_HEADER = "X-Optout-Follow-Up-Ids";

    /** One follow-up: its id, the change as it is now, and whether the change was called off. */
    public record Item(long followUpId, PolicyChange change, boolean calledOff) {
    }

    /** A follow-up as the mail shows it. */
    public record Entry(String title, String text, String url, boolean calledOff, String lastDayToAct) {
    }

    @CheckedTemplate
    static class Templates {
        static native MailTemplateInstance followUp(String lang, List<Entry> changes, String manageLink,
                String unsubscribeLink);
    }

    private final PolicyChangeCatalog catalog;
    private final SubscriptionLinks links;

    FollowUpMailer(PolicyChangeCatalog catalog, SubscriptionLinks links) {
        this.catalog = catalog;
        this.links = links;
    }

    /** Completes when the SMTP server accepted the mail; the caller decides how long to wait. */
    public Uni<Void> send(Subscription subscription, List<Item> items) {
        Language language = Language.fromTag(subscription.language).orElse(Language.EN);
        ZoneId zone = ZoneId.of(subscription.timeZone);
        MailTexts texts = MailLanguage.texts(language);
        List<Entry> entries = items.stream().map(item -> entry(catalog.view(item.change()), item.calledOff(),
                language, zone, texts)).toList();
        String unsubscribe = links.unsubscribe(subscription);
        return MailLanguage.in(language, Templates.followUp(language.tag(), entries, links.manage(subscription), unsubscribe))
                .mail(ListMail.with(unsubscribe, FOLLOW_UP_IDS_HEADER, "follow-ups",
                        items.stream().map(Item::followUpId).toList()))
                .to(subscription.email)
                .subject(subject(entries, texts))
                .send();
    }

    private static Entry entry(PolicyChangeView change, boolean calledOff, Language language, ZoneId zone,
            MailTexts texts) {
        String lastDay = ListMail.format(ListMail.lastDayToAct(change, zone), language);
        String text = calledOff ? texts.noLongerNeeded() : texts.deadlineMoved(lastDay);
        return new Entry(change.title(language), text, change.optOut().url(), calledOff, lastDay);
    }

    private static String subject(List<Entry> entries, MailTexts texts) {
        Entry first = entries.get(0);
        if (entries.size() > 1) {
            return texts.followUpDigestSubject(entries.size());
        }
        return first.calledOff() ? texts.noLongerNeededSubject(first.title())
                : texts.deadlineMovedSubject(first.lastDayToAct(), first.title());
    }
}
