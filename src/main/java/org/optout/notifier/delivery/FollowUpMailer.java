package org.optout.notifier.delivery;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MailTemplate.MailTemplateInstance;
import io.quarkus.qute.CheckedTemplate;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.policy.PolicyChangeCatalog;
import org.optout.notifier.policy.PolicyChangeView;
import org.optout.notifier.subscription.MailLanguage;
import org.optout.notifier.subscription.MailTexts;
import org.optout.notifier.subscription.Subscriber;
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
    private final MimeWriter writer;

    FollowUpMailer(PolicyChangeCatalog catalog, SubscriptionLinks links, MimeWriter writer) {
        this.catalog = catalog;
        this.links = links;
        this.writer = writer;
    }

    /** The mail for these follow-ups, encoded for the relay (they are few: rendered and encoded for each). */
    public EncodedMail message(Subscriber subscriber, List<Item> items) {
        return writer.encode(mail(subscriber, items));
    }

    private Mail mail(Subscriber subscriber, List<Item> items) {
        ListMail.Reader reader = ListMail.Reader.of(subscriber, links);
        List<Entry> entries = items.stream().map(item -> entry(catalog.view(item.change()), item.calledOff(),
                reader)).toList();
        RenderedBody body = RenderedBody.of(MailLanguage.in(reader.language(), Templates.followUp(
                reader.language().tag(), entries, reader.manageLink(), reader.unsubscribeLink())));
        return ListMail.with(reader.unsubscribeLink(), FOLLOW_UP_IDS_HEADER, "follow-ups",
                        items.stream().map(Item::followUpId).toList())
                .setText(body.text())
                .setHtml(body.html())
                .addTo(subscriber.email())
                .setSubject(subject(entries, reader.texts()));
    }

    private static Entry entry(PolicyChangeView change, boolean calledOff, ListMail.Reader reader) {
        String lastDay = ListMail.format(ListMail.lastDayToAct(change, reader.zone()), reader.language());
        String text = calledOff ? reader.texts().noLongerNeeded() : reader.texts().deadlineMoved(lastDay);
        return new Entry(change.title(reader.language()), text, change.optOut().url(), calledOff, lastDay);
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
