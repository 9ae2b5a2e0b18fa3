package org.optout.notifier.delivery;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MailTemplate.MailTemplateInstance;
import io.quarkus.qute.CheckedTemplate;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * sources, and one-click unsubscribe headers. What one change makes a million mails of is rendered once: text, HTML,
 * subject and {@code .ics} are kept per language and changes (id, revision, last day to act), with the subscriber's
 * own links as placeholders, filled in for each mail (see {@link PersonalLinks}).
 */
@ApplicationScoped
public class ReminderMailer {

    /** Header listing the reminders a mail carries, for support and for tests counting deliveries. */
    public static final String REMINDER_IDS_HEADER = "X-Optout-Reminder-Ids";
    /** Renderings kept: one per language, change set and last day is a handful even for a million recipients. */
    static final int RENDERINGS_KEPT = 256;

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

    /** What the rendering depends on besides the links: the reader's language and each change's last day there. */
    private record Key(Language language, List<Dated> changes) {
    }

    private record Dated(String changeId, int revision, LocalDate lastDayToAct) {
    }

    private record Rendered(String subject, RenderedBody body, byte[] calendar) {
    }

    private final PolicyChangeCatalog catalog;
    private final SubscriptionLinks links;
    private final Map<Key, Rendered> renderings = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, Rendered> eldest) {
                    return size() > RENDERINGS_KEPT;
                }
            });

    ReminderMailer(PolicyChangeCatalog catalog, SubscriptionLinks links) {
        this.catalog = catalog;
        this.links = links;
    }

    /** The mail for these reminders, ready to send. */
    public Mail mail(Subscription subscription, List<Item> items) {
        ListMail.Reader reader = ListMail.Reader.of(subscription, links);
        Key key = new Key(reader.language(), items.stream().map(item -> new Dated(item.change().changeId,
                item.change().revision, ListMail.lastDayToAct(item.change().effectiveDate, item.change().effectiveAt,
                reader.zone()))).toList());
        Rendered rendered = renderings.computeIfAbsent(key, k -> render(k.language(), reader.zone(),
                items.stream().map(item -> catalog.view(item.change())).toList()));
        Mail mail = ListMail.with(reader.unsubscribeLink(), REMINDER_IDS_HEADER, "reminders",
                items.stream().map(Item::reminderId).toList());
        rendered.body().fillIn(mail, PersonalLinks.of(reader, subscription, links));
        return mail.addAttachment(DeadlineCalendar.FILE_NAME, rendered.calendar(), DeadlineCalendar.CONTENT_TYPE)
                .addTo(subscription.email)
                .setSubject(rendered.subject());
    }

    private Rendered render(Language language, ZoneId zone, List<PolicyChangeView> changes) {
        List<Entry> entries = changes.stream().map(change -> entry(change, language, zone,
                PersonalLinks.PLACEHOLDERS.optedOut(change.changeId()))).toList();
        Entry first = entries.get(0);
        var texts = MailLanguage.texts(language);
        String subject = entries.size() == 1 ? texts.reminderSubject(first.lastDayToAct(), first.title())
                : texts.reminderDigestSubject(entries.size(), first.lastDayToAct());
        RenderedBody body = RenderedBody.of(MailLanguage.in(language, Templates.reminder(language.tag(), entries,
                PersonalLinks.PLACEHOLDERS.manage(), PersonalLinks.PLACEHOLDERS.unsubscribe())));
        return new Rendered(subject, body, DeadlineCalendar.of(entries.stream().map(Entry::deadline).toList()));
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
