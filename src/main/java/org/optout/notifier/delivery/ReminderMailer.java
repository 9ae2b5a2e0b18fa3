package org.optout.notifier.delivery;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MailTemplate.MailTemplateInstance;
import io.quarkus.qute.CheckedTemplate;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.policy.PolicyChangeCatalog;
import org.optout.notifier.policy.PolicyChangeView;
import org.optout.notifier.subscription.Language;
import org.optout.notifier.subscription.MailLanguage;
import org.optout.notifier.subscription.Subscriber;
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

    /** {@code textPerMail}: the text is beyond ASCII, so the template has it as one placeholder, encoded per mail. */
    private record Rendered(String subject, RenderedBody body, byte[] calendar, MessageTemplate message,
            boolean textPerMail) {
    }

    private static final String RECIPIENT = "Recipient";
    private static final String REMINDER_IDS = "ReminderIds";
    private static final String MESSAGE_ID = "MessageId";

    private final PolicyChangeCatalog catalog;
    private final SubscriptionLinks links;
    private final MimeWriter writer;
    private final Map<Key, Rendered> renderings = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, Rendered> eldest) {
                    return size() > RENDERINGS_KEPT;
                }
            });

    ReminderMailer(PolicyChangeCatalog catalog, SubscriptionLinks links, MimeWriter writer) {
        this.catalog = catalog;
        this.links = links;
        this.writer = writer;
    }

    /** The mail for these reminders, for Quarkus's mailer. */
    public Mail mail(Subscriber subscriber, List<Item> items) {
        ListMail.Reader reader = ListMail.Reader.of(subscriber, links);
        Rendered rendered = rendered(reader, items);
        Mail mail = ListMail.with(reader.unsubscribeLink(), REMINDER_IDS_HEADER, "reminders",
                items.stream().map(Item::reminderId).toList());
        rendered.body().fillIn(mail, reader.links());
        return withCalendar(mail, rendered.subject(), rendered.calendar()).addTo(subscriber.email());
    }

    /**
     * The same mail encoded for the relay, from the rendering's encoded template: only the reader's own parts are
     * written for each mail (address, links, ids, date; the text when it is beyond ASCII).
     */
    public EncodedMail message(Subscriber subscriber, List<Item> items) {
        ListMail.Reader reader = ListMail.Reader.of(subscriber, links);
        Rendered rendered = rendered(reader, items);
        PersonalLinks own = reader.links();
        String ids = items.stream().map(item -> String.valueOf(item.reminderId())).collect(Collectors.joining(","));
        Map<String, byte[]> values = new HashMap<>(16);
        own.addValues(values);
        values.put(RECIPIENT, ascii(subscriber.email()));
        values.put(REMINDER_IDS, ascii(ids));
        values.put(MESSAGE_ID, ascii(ListMail.messageId("reminders", ids)));
        values.put(MimeWriter.DATE_PLACEHOLDER, MimeWriter.dateNow());
        if (rendered.textPerMail()) {
            values.put(MimeWriter.TEXT, MimeWriter.base64(own.fillIn(rendered.body().text(), false)));
        }
        return new EncodedMail(subscriber.email(), rendered.message().fillIn(values));
    }

    private Rendered rendered(ListMail.Reader reader, List<Item> items) {
        Key key = new Key(reader.language(), items.stream().map(item -> new Dated(item.change().changeId,
                item.change().revision, ListMail.lastDayToAct(item.change().effectiveDate, item.change().effectiveAt,
                reader.zone()))).toList());
        return renderings.computeIfAbsent(key, k -> render(k.language(), reader.zone(),
                items.stream().map(item -> catalog.view(item.change())).toList()));
    }

    private static Mail withCalendar(Mail mail, String subject, byte[] calendar) {
        return mail.addAttachment(DeadlineCalendar.FILE_NAME, calendar, DeadlineCalendar.CONTENT_TYPE)
                .setSubject(subject);
    }

    /** The mail with placeholders for all that is the reader's own, encoded. */
    private MessageTemplate template(String subject, RenderedBody body, byte[] calendar, boolean textPerMail) {
        Mail mail = ListMail.with(PersonalLinks.PLACEHOLDERS.unsubscribe(), REMINDER_IDS_HEADER,
                MessageTemplate.placeholder(REMINDER_IDS), MessageTemplate.placeholder(MESSAGE_ID))
                .addHeader("To", MessageTemplate.placeholder(RECIPIENT))
                .setText(body.text())
                .setHtml(PersonalLinks.htmlPlaceholders(body.html()));
        return writer.template(withCalendar(mail, subject, calendar), textPerMail);
    }

    private static byte[] ascii(String value) {
        return value.getBytes(StandardCharsets.US_ASCII);
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
        byte[] calendar = DeadlineCalendar.of(entries.stream().map(Entry::deadline).toList());
        boolean textPerMail = body.text().chars().anyMatch(c -> c >= 0x80);
        return new Rendered(subject, body, calendar, template(subject, body, calendar, textPerMail), textPerMail);
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
