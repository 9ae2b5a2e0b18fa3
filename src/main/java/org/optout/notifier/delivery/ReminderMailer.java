package org.optout.notifier.delivery;

import io.quarkus.mailer.MailTemplate.MailTemplateInstance;
import io.quarkus.qute.CheckedTemplate;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.policy.PolicyChangeCatalog;
import org.optout.notifier.policy.PolicyChangeView;
import org.optout.notifier.subscription.Language;
import org.optout.notifier.subscription.MailLanguage;
import org.optout.notifier.subscription.Subscription;
import org.optout.notifier.subscription.SubscriptionLinks;

/**
 * The reminder mail: in the subscriber's language, one mail for all that is due at once (a digest), with what changes,
 * the data used and left out, the last day to act in the subscriber's calendar, the numbered steps, the setting, the
 * sources, and one-click unsubscribe headers. 
 */
@ApplicationScoped
public class ReminderMailer {

    /** Header listing the reminders a mail carries, for support and for tests counting deliveries. */
    public static final String REMINDER_IDS_HEADER = "X-Optout-Reminder-Ids";

    /** One due reminder and its change. */
    public record Item(long reminderId, PolicyChange change) {
    }

    /** A change as the mail shows it, in the subscriber's language. */
    public record Entry(String title, String summary, String lastDayToAct, List<String> dataUsed,
            List<String> excluded, List<String> steps, String url, List<String> sources,
            DeadlineCalendar.Deadline deadline, String optedOutLink) {
    }

    @CheckedTemplate
    static class Templates {
        static native MailTemplateInstance reminder(String lang, List<Entry> changes, String manageLink,
                String unsubscribeLink);
    }

    private final PolicyChangeCatalog catalog;
    private final SubscriptionLinks links;

    ReminderMailer(PolicyChangeCatalog catalog, SubscriptionLinks links) {
        this.catalog = catalog;
        this.links = links;
    }

    /** Completes when the SMTP server accepted the mail; the caller decides how long to wait. */
    public Uni<Void> send(Subscription subscription, List<Item> items) {
        ListMail.Reader reader = ListMail.Reader.of(subscription, links);
        List<Entry> entries = items.stream().map(item -> entry(catalog.view(item.change()), reader.language(),
                reader.zone(), links.optedOut(subscription, item.change().changeId))).toList();
        Entry first = entries.get(0);
        String subject = entries.size() == 1 ? reader.texts().reminderSubject(first.lastDayToAct(), first.title())
                : reader.texts().reminderDigestSubject(entries.size(), first.lastDayToAct());
        return MailLanguage.in(reader.language(), Templates.reminder(reader.language().tag(), entries,
                        reader.manageLink(), reader.unsubscribeLink()))
                .mail(ListMail.with(reader.unsubscribeLink(), REMINDER_IDS_HEADER, "reminders",
                        items.stream().map(Item::reminderId).toList()))
                .addAttachment(DeadlineCalendar.FILE_NAME,
                        DeadlineCalendar.of(entries.stream().map(Entry::deadline).toList()),
                        DeadlineCalendar.CONTENT_TYPE)
                .to(subscription.email)
                .subject(subject)
                .send();
    }

    private static Entry entry(PolicyChangeView change, Language language, ZoneId zone, String optedOutLink) {
        LocalDate lastDay = ListMail.lastDayToAct(change, zone);
        List<String> steps = change.steps(language);
        return new Entry(change.title(language), change.summary(language), ListMail.format(lastDay, language),
                change.dataUsed(), change.excluded(), steps, change.optOut().url(), change.sources(),
                new DeadlineCalendar.Deadline(change.changeId(), change.revision(), change.title(language), lastDay,
                        numbered(steps), change.optOut().url()), optedOutLink);
    }

    private static String numbered(List<String> steps) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            text.append(i + 1).append(". ").append(steps.get(i)).append('\n');
        }
        return text.toString().strip();
    }
}
