package org.optout.notifier.delivery;

import io.quarkus.mailer.Mail;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.optout.notifier.policy.PolicyChangeView;
import org.optout.notifier.subscription.Language;
import org.optout.notifier.subscription.MailLanguage;
import org.optout.notifier.subscription.MailTexts;
import org.optout.notifier.subscription.Subscriber;
import org.optout.notifier.subscription.SubscriptionLinks;

/** What every mail about deadlines shares: one-click unsubscribe headers, the list id, ids for support and tests. */
final class ListMail {

    private ListMail() {
    }

    /** Whom a mail is for, as the mail needs them: language, calendar, texts and their own links. */
    record Reader(Language language, ZoneId zone, MailTexts texts, PersonalLinks links) {

        static Reader of(Subscriber subscriber, SubscriptionLinks links) {
            Language language = Language.fromTag(subscriber.language()).orElse(Language.EN);
            return new Reader(language, ZoneId.of(subscriber.timeZone()), MailLanguage.texts(language),
                    PersonalLinks.of(links.own(subscriber)));
        }

        String manageLink() {
            return links.manage();
        }

        String unsubscribeLink() {
            return links.unsubscribe();
        }
    }

    /**
     * @param idHeader header naming the rows the mail carries
     * @param kind first part of the Message-ID, which is made from the ids so that a resent mail keeps it
     */
    static Mail with(String unsubscribeLink, String idHeader, String kind, List<Long> ids) {
        String joined = ids.stream().map(String::valueOf).collect(Collectors.joining(","));
        return with(unsubscribeLink, idHeader, joined, messageId(kind, joined));
    }

    /** @param joined the ids the mail carries, comma-separated */
    static Mail with(String unsubscribeLink, String idHeader, String joined, String messageId) {
        return new Mail()
                .addHeader("List-Unsubscribe", "<" + unsubscribeLink + ">")
                .addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
                .addHeader("List-Id", "optout-notifier reminders <reminders.optout-notifier>")
                .addHeader(idHeader, joined)
                .addHeader("Message-ID", messageId);
    }

    /** Made from the ids, so that a mail sent again keeps it. */
    static String messageId(String kind, String joinedIds) {
        return "<" + kind + "-" + joinedIds.replace(',', '.') + "@optout-notifier>";
    }

    /** The last day to act on a change in a subscriber's calendar: the day before it takes effect there. */
    static LocalDate lastDayToAct(PolicyChangeView change, ZoneId zone) {
        return lastDayToAct(change.effectiveDate(), change.effectiveAt(), zone);
    }

    static LocalDate lastDayToAct(LocalDate effectiveDate, Instant effectiveAt, ZoneId zone) {
        LocalDate effectiveDay = effectiveAt != null ? LocalDate.ofInstant(effectiveAt, zone) : effectiveDate;
        return effectiveDay.minusDays(1);
    }

    static String format(LocalDate day, Language language) {
        Locale dates = language == Language.EN ? Locale.UK : language.locale();
        return DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(dates).format(day);
    }
}
