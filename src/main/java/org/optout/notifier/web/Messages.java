package org.optout.notifier.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Every text of the web pages, in English; the Traditional Chinese (Hong Kong) texts are in
 * {@code messages/msg_zh_HK.properties}. Templates use them as {@code {msg:key}}.
 */
@MessageBundle
public interface Messages {

    @Message("optout-notifier")
    String appName();

    @Message("Reminders before platforms start using your data in ways you can still refuse.")
    String tagline();

    @Message("中文")
    String otherLanguage();

    @Message("zh-HK")
    String otherLanguageTag();

    @Message("Get reminded before the deadline")
    String signUpTitle();

    @Message("Platforms announce new uses of your data with a deadline to refuse them: LinkedIn began training "
            + "generative AI on members' profiles and posts on 3 November 2025 unless they opted out. Tell us where you "
            + "live and which platforms you use, and we email you the exact opt-out steps before each deadline.")
    String signUpIntro();

    @Message("Email address")
    String email();

    @Message("Country or region where you live")
    String country();

    @Message("Choose…")
    String chooseCountry();

    @Message("Platforms you use")
    String platforms();

    @Message("Remind me")
    String leadDays();

    @Message("{days} {days == 1 ? 'day' : 'days'} before")
    String daysBefore(int days);

    @Message("At this local time")
    String sendHour();

    @Message("Language of the emails")
    String language();

    @Message("Time zone")
    String timeZone();

    @Message("For example Asia/Hong_Kong. Leave empty to use your country's.")
    String timeZoneHint();

    @Message("Remind me")
    String submit();

    @Message("We send a confirmation link first; nothing starts until you click it. Unsubscribe in one click, "
            + "download or delete your data at any time.")
    String privacyNote();

    @Message("Please correct the fields marked below.")
    String formHasErrors();

    @Message("Check your mailbox")
    String sentTitle();

    @Message("If this address can receive mail, a message is on its way to it. Follow its link to confirm your "
            + "reminders. Nothing changes until then.")
    String sentBody();

    @Message("Confirm your reminders")
    String confirmTitle();

    @Message("Confirm")
    String confirmButton();

    @Message("Your reminders are on")
    String confirmedTitle();

    @Message("We will email you before each deadline that concerns you.")
    String confirmedBody();

    @Message("Your reminders")
    String manageTitle();

    @Message("Reminders are on.")
    String statusActive();

    @Message("Reminders are off: you unsubscribed.")
    String statusUnsubscribed();

    @Message("Save changes")
    String save();

    @Message("Your changes are saved.")
    String saved();

    @Message("Change preferences, export or delete your data")
    String manageLink();

    @Message("Stop all reminders")
    String unsubscribeButton();

    @Message("Turn reminders back on")
    String resubscribeButton();

    @Message("Download my data (JSON)")
    String export();

    @Message("Delete my data")
    String eraseTitle();

    @Message("Deletes your address, preferences and consent record. Only a keyed fingerprint of the address stays, so "
            + "that partner organisations cannot sign it up again; you can still sign up yourself.")
    String eraseBody();

    @Message("I understand that this cannot be undone")
    String eraseConfirm();

    @Message("Delete everything")
    String eraseButton();

    @Message("Your data is deleted")
    String erasedTitle();

    @Message("Nothing about you is left except a keyed fingerprint of your address. Links in older emails no longer "
            + "work.")
    String erasedBody();

    @Message("Stop all reminders?")
    String unsubscribeTitle();

    @Message("You are unsubscribed")
    String unsubscribedTitle();

    @Message("You will get no more reminders. Changed your mind? The preferences link in your emails turns them back on.")
    String unsubscribedBody();

    @Message("This link is not valid")
    String unknownLinkTitle();

    @Message("It may have expired, been used already, or belong to deleted data. Sign up again if you like.")
    String unknownLinkBody();

    @Message("Something is wrong with this request.")
    String badRequest();

    @Message("Too many sign-ups from your network. Please try again in a few minutes.")
    String rateLimited();

    @Message("This field is required.")
    String errorRequired();

    @Message("Enter an email address such as name@example.org.")
    String errorEmail();

    @Message("Choose a country from the list.")
    String errorCountry();

    @Message("Choose platforms from the list.")
    String errorPlatforms();

    @Message("Choose at most five reminders, each 1 to 30 days before.")
    String errorLeadDays();

    @Message("Choose an hour from 0 to 23.")
    String errorSendHour();

    @Message("Choose English or Chinese.")
    String errorLanguage();

    @Message("Enter a time zone such as Asia/Hong_Kong, or leave it empty.")
    String errorTimeZone();

    @Message("Line breaks and control characters are not allowed.")
    String errorControlCharacters();

    @Message("This value is not allowed.")
    String errorOther();

    @Message("Back to the start page")
    String home();

    @Message("Upcoming deadlines")
    String deadlinesTitle();

    @Message("Changes that platforms announced, and how to refuse them. Deadlines are in your own time zone.")
    String deadlinesIntro();

    @Message("Where you live")
    String filterCountry();

    @Message("All countries")
    String anyCountry();

    @Message("Platform")
    String filterPlatform();

    @Message("All platforms")
    String anyPlatform();

    @Message("Show")
    String filterButton();

    @Message("Deadlines ahead")
    String upcomingHeading();

    @Message("Already in effect: opting out still stops future use")
    String inEffectHeading();

    @Message("Nothing for this choice.")
    String noChanges();

    @Message("Last day to act")
    String lastDayToAct();

    @Message("Took effect on")
    String tookEffect();

    @Message("Who is affected")
    String affected();

    @Message("except")
    String except();

    @Message("Data used")
    String dataUsed();

    @Message("Not used")
    String notUsed();

    @Message("How to opt out")
    String howToOptOut();

    @Message("Open the setting")
    String openSetting();

    @Message("Sources")
    String sources();

    @Message("Remind me before deadlines like this")
    String remindMe();

    @Message("the EU")
    String regionEU();

    @Message("the EEA")
    String regionEEA();

    @Message("everywhere")
    String regionWORLD();

    @Message("Already opted out?")
    String optedOutTitle();

    @Message("If you have already refused this in the platform's settings, we stop reminding you about it. Your other reminders go on.")
    String optedOutQuestion();

    @Message("Yes, I have opted out")
    String optedOutButton();

    @Message("No more reminders about this change")
    String optedOutDone();
}
