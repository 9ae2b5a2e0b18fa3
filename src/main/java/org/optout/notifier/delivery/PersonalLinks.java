package org.optout.notifier.delivery;

import org.optout.notifier.subscription.Subscription;
import org.optout.notifier.subscription.SubscriptionLinks;

/**
 * The links in a mail that are the subscriber's own (manage, unsubscribe, "I have already opted out" for each
 * change), so that a mail rendered once for many carries them: rendered with {@link #PLACEHOLDERS}, then filled in.
 * The placeholders are letters only, which no template escaping changes and no text contains.
 */
record PersonalLinks(String manage, String unsubscribe, String optedOutPrefix) {

    static final PersonalLinks PLACEHOLDERS = new PersonalLinks("zzOptoutManageLinkzz", "zzOptoutUnsubscribeLinkzz",
            "zzOptoutOptedOutLinkzz");

    /** The reader's links, as {@link ListMail.Reader} derived them (each token is an HMAC: derived once a mail). */
    static PersonalLinks of(ListMail.Reader reader, Subscription subscription, SubscriptionLinks links) {
        return new PersonalLinks(reader.manageLink(), reader.unsubscribeLink(), links.optedOut(subscription, ""));
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

    private static String escaped(String link, boolean html) {
        return html ? link.replace("&", "&amp;").replace("\"", "&quot;").replace("'", "&#39;").replace("<", "&lt;")
                .replace(">", "&gt;") : link;
    }
}
