package org.optout.notifier.subscription;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The texts of the mails, in English; Traditional Chinese (Hong Kong) in {@code messages/mail_zh_HK.properties}.
 * Mail templates use them as {@code {mail:key}} in the subscriber's language ({@link MailLanguage}).
 */
@MessageBundle("mail")
public interface MailTexts {

    @Message("Confirm your opt-out deadline reminders")
    String confirmSubject();

    @Message("Someone, hopefully you, asked optout-notifier to remind this address before platforms start using "
            + "personal data in ways that can still be refused.")
    String confirmIntro();

    @Message("To confirm, open this link and press the button (valid for {hours} hours):")
    String confirmLinkLine(long hours);

    @Message("Confirm my reminders")
    String confirmLinkText();

    @Message("If it was not you, ignore this mail: nothing happens without the button, and the request is deleted "
            + "when the link expires.")
    String confirmIgnore();

    @Message("You already get opt-out deadline reminders")
    String alreadySubject();

    @Message("Someone asked optout-notifier to remind this address, and it already gets reminders. Nothing was "
            + "changed.")
    String alreadyIntro();

    @Message("Your opt-out deadline reminders are on")
    String welcomeSubject();

    @Message("Your opt-out deadline reminders are on.")
    String welcomeIntro();

    @Message("Already in effect where you live")
    String inEffectHeading();

    @Message("Opting out now still stops future use.")
    String inEffectNote();

    @Message("since {date}")
    String since(String date);

    @Message("Open the setting")
    String openSetting();

    @Message("Change your preferences, export or delete your data")
    String manageLine();

    @Message("Stop all reminders")
    String unsubscribeLine();

    @Message("Country")
    String country();

    @Message("Platforms")
    String platforms();

    @Message("Reminders")
    String reminders();

    @Message("{days} day(s) before each deadline, at {hour}:00 ({zone})")
    String reminderTimes(String days, int hour, String zone);

    @Message("Act by {date}: {title}")
    String reminderSubject(String date, String title);

    @Message("{count} opt-out deadlines, the first on {date}")
    String reminderDigestSubject(int count, String date);

    @Message("A platform you use is about to use your data in a way you can still refuse.")
    String reminderIntro();

    @Message("Last day to act")
    String lastDayToAct();

    @Message("Data used")
    String dataUsed();

    @Message("Not used")
    String notUsed();

    @Message("How to opt out")
    String howToOptOut();

    @Message("Sources")
    String sources();

    @Message("I have already opted out: stop reminding me about this")
    String optedOutLink();

    @Message("New date: act by {date}: {title}")
    String deadlineMovedSubject(String date, String title);

    @Message("No longer needed: {title}")
    String noLongerNeededSubject(String title);

    @Message("Updates to {count} opt-out deadlines you were reminded of")
    String followUpDigestSubject(int count);

    @Message("The date of this change moved since we reminded you. New last day to act: {date}. Your remaining "
            + "reminders follow the new date.")
    String deadlineMoved(String date);

    @Message("This change was called off by its publisher: there is nothing to do, and no further reminders about it "
            + "will come.")
    String noLongerNeeded();
}
