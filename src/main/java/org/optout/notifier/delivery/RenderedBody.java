package org.optout.notifier.delivery;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MailTemplate.MailTemplateInstance;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.Variant;

/**
 * A mail template rendered to its text and HTML parts, as the mailer would render them to send it, readied once for
 * sending as they are (see {@link SevenBit}).
 */
record RenderedBody(String text, String html) {

    static RenderedBody of(MailTemplateInstance mail) {
        TemplateInstance template = mail.templateInstance();
        return new RenderedBody(SevenBit.folded(variant(template, Variant.TEXT_PLAIN)),
                SevenBit.html(variant(template, Variant.TEXT_HTML)));
    }

    /** Sets both parts on the mail, with the reader's own links. */
    void fillIn(Mail mail, PersonalLinks links) {
        mail.setText(links.fillIn(text, false)).setHtml(links.fillIn(html, true));
    }

    private static String variant(TemplateInstance template, String contentType) {
        return template.setAttribute(TemplateInstance.SELECTED_VARIANT, Variant.forContentType(contentType)).render();
    }
}
