package org.optout.notifier.subscription;

import io.quarkus.mailer.MailTemplate.MailTemplateInstance;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;

/** Puts a mail in a subscriber's language: the {@code {mail:...}} texts of its template, and its subject line. */
public final class MailLanguage {

    private MailLanguage() {
    }

    public static MailTexts texts(Language language) {
        return language == Language.EN ? MessageBundles.get(MailTexts.class)
                : MessageBundles.get(MailTexts.class, Localized.Literal.of(language.tag()));
    }

    public static MailTemplateInstance in(Language language, MailTemplateInstance mail) {
        return mail.setAttribute(MessageBundles.ATTRIBUTE_LOCALE, language.locale());
    }
}
