package org.optout.notifier.delivery;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.optout.notifier.subscription.SubscriptionLinks;

/**
 * The links in a mail that are the subscriber's own (manage, unsubscribe, "I have already opted out" for each
 * change), so that a mail rendered once for many carries them: rendered with {@link #PLACEHOLDERS}, then filled in,
 * into the rendered text ({@link #fillIn}) or into the encoded message ({@link #addValues}). The placeholders are
 * {@link MessageTemplate}'s: letters only, which no template escaping changes and no text contains.
 */
record PersonalLinks(String manage, String unsubscribe, String optedOutPrefix) {

    private static final String MANAGE = "ManageLink";
    private static final String UNSUBSCRIBE = "UnsubscribeLink";
    private static final String OPTED_OUT = "OptedOutLink";
    /** The same links in HTML, where they are escaped: placeholders of their own in an encoded message. */
    private static final String IN_HTML = "Html";

    static final PersonalLinks PLACEHOLDERS = new PersonalLinks(MessageTemplate.placeholder(MANAGE),
            MessageTemplate.placeholder(UNSUBSCRIBE), MessageTemplate.placeholder(OPTED_OUT));

    static PersonalLinks of(SubscriptionLinks.Own own) {
        return new PersonalLinks(own.manage(), own.unsubscribe(), own.optedOutPrefix());
    }

    String optedOut(String changeId) {
        return optedOutPrefix + changeId;
    }

    /** A rendering with the placeholders replaced by these links, escaped as the template would have. */
    String fillIn(String rendered, boolean html) {
        return rendered.replace(PLACEHOLDERS.manage, escaped(manage, html))
                .replace(PLACEHOLDERS.unsubscribe, escaped(unsubscribe, html))
                .replace(PLACEHOLDERS.optedOutPrefix, escaped(optedOutPrefix, html));
    }

    /** Rendered HTML with the HTML placeholders, for a {@link MessageTemplate} that also has the text's. */
    static String htmlPlaceholders(String html) {
        return html.replace(PLACEHOLDERS.manage, MessageTemplate.placeholder(MANAGE + IN_HTML))
                .replace(PLACEHOLDERS.unsubscribe, MessageTemplate.placeholder(UNSUBSCRIBE + IN_HTML))
                .replace(PLACEHOLDERS.optedOutPrefix, MessageTemplate.placeholder(OPTED_OUT + IN_HTML));
    }

    /** The values of a {@link MessageTemplate}'s link placeholders, in text and headers and in HTML. */
    void addValues(Map<String, byte[]> values) {
        add(values, MANAGE, manage);
        add(values, UNSUBSCRIBE, unsubscribe);
        add(values, OPTED_OUT, optedOutPrefix);
    }

    private static void add(Map<String, byte[]> values, String name, String link) {
        values.put(name, link.getBytes(StandardCharsets.US_ASCII));
        values.put(name + IN_HTML, escaped(link, true).getBytes(StandardCharsets.US_ASCII));
    }

    private static String escaped(String link, boolean html) {
        return html ? link.replace("&", "&amp;").replace("\"", "&quot;").replace("'", "&#39;").replace("<", "&lt;")
                .replace(">", "&gt;") : link;
    }
}
