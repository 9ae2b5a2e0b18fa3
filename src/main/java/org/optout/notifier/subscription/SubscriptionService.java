package org.optout.notifier.subscription;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.optout.notifier.config.NotifierConfig;
import org.optout.notifier.problem.NotFoundProblem;

/**
 * The life of a subscription: a request is received, confirmed from the mailbox, changed, unsubscribed, re-subscribed,
 * exported and erased. Nothing changes state without a click from the subscriber's mailbox.
 */
@ApplicationScoped
public class SubscriptionService {

    static final String UNKNOWN_LINK = "This link is not valid (any more). Links in older mails stop working once "
            + "a newer one is sent or the data is erased.";

    /** Fired after a request was stored, so that it is processed at once rather than at the next poll. */
    public record RequestReceived(long id) {
    }

    private final Clock clock;
    private final Tokens tokens;
    private final ObjectMapper json;
    private final SubscriptionMailer mailer;
    private final NotifierConfig.Subscriptions settings;
    private final Event<RequestReceived> received;
    private final Event<SubscriptionConfirmed> confirmed;
    private final Event<SubscriptionChanged> changed;
    private final Event<SubscriptionStopped> stopped;

    SubscriptionService(Clock clock, Tokens tokens, ObjectMapper json, SubscriptionMailer mailer, NotifierConfig config,
            Event<RequestReceived> received, Event<SubscriptionConfirmed> confirmed,
            Event<SubscriptionChanged> changed, Event<SubscriptionStopped> stopped) {
        this.clock = clock;
        this.tokens = tokens;
        this.json = json;
        this.mailer = mailer;
        this.settings = config.subscriptions();
        this.received = received;
        this.confirmed = confirmed;
        this.changed = changed;
        this.stopped = stopped;
    }

    /** Queues a validated sign-up. The same single insert whatever the address's state. */
    @Transactional
    public void receive(ValidatedRequest request, Origin origin, String source) {
        ReceivedRequest row = new ReceivedRequest();
        row.details = new RequestDetails(request.email(), toJson(request.preferences()), origin, source);
        row.receivedAt = clock.instant();
        row.nextAttemptAt = row.receivedAt;
        row.persist();
        received.fire(new RequestReceived(row.id));
    }

    /**
     * Answers a received request by mail, inside the caller's transaction: a confirmation link for a new, pending or
     * unsubscribed address, a link to the preferences for an active one. At most one such mail per address per
     * interval, and none for a suppressed address on a third party's (Kafka) word.
     */
    void answer(ReceivedRequest request) {
        Instant now = clock.instant();
        RequestDetails details = request.details;
        String email = EmailAddresses.mask(details.email);
        String emailKey = tokens.emailKey(details.email);
        if (SuppressionList.blocksMail(emailKey)) {
            Log.infof("Request %d for %s: the address is suppressed (bounces or complaints), no mail", request.id,
                    email);
            return;
        }
        if (details.origin == Origin.KAFKA && SuppressedAddress.isSuppressed(emailKey)) {
            Log.infof("Request %d for erased address %s from %s: no mail", request.id, email, details.source);
            return;
        }
        if (!MailThrottle.tryTake(emailKey, now, settings.mailInterval())) {
            Log.infof("Request %d for %s: a mail went out less than %s ago, none sent", request.id, email,
                    settings.mailInterval());
            return;
        }
        Optional<Subscription> existing = Subscription.findByEmail(details.email);
        if (details.origin == Origin.KAFKA && existing.isPresent()
                && existing.get().status == SubscriptionStatus.UNSUBSCRIBED) {
            Log.infof("Request %d for unsubscribed address %s from %s: no mail (they come back themselves)",
                    request.id, email, details.source);
            return;
        }
        if (existing.isPresent() && existing.get().status == SubscriptionStatus.ACTIVE) {
            mailer.sendAlreadySubscribed(existing.get());
            Log.infof("Request %d for %s: already active, sent the preferences link", request.id, email);
            return;
        }
        PendingConfirmation.deleteForEmail(details.email);
        String token = tokens.newRandomToken();
        PendingConfirmation pending = new PendingConfirmation();
        pending.tokenHash = Tokens.hash(token);
        pending.details = details.copy();
        pending.requestedAt = request.receivedAt;
        pending.expiresAt = now.plus(settings.confirmationValidity());
        pending.persist();
        mailer.sendConfirmation(details.email, fromJson(details.preferences), token, settings.confirmationValidity());
        Log.infof("Request %d for %s: confirmation mail sent", request.id, email);
    }

    /** What a confirmation link would confirm. Changes nothing (mail scanners follow links). */
    @Transactional
    public PendingView pending(String confirmationToken) {
        PendingConfirmation pending = PendingConfirmation.findValid(confirmationToken, clock.instant())
                .orElseThrow(() -> new NotFoundProblem(UNKNOWN_LINK));
        return new PendingView(pending.details.email, fromJson(pending.details.preferences), pending.expiresAt);
    }

    public record PendingView(String email, Preferences preferences, Instant expiresAt) {
    }

    /** The click from the mailbox: activates (or re-activates) the subscription with the requested preferences. */
    @Transactional
    public Subscription confirm(String confirmationToken) {
        Instant now = clock.instant();
        PendingConfirmation pending = PendingConfirmation.findValidForUpdate(confirmationToken, now)
                .orElseThrow(() -> new NotFoundProblem(UNKNOWN_LINK));
        RequestDetails details = pending.details;
        Subscription subscription = Subscription.findByEmail(details.email)
                .orElseGet(() -> newSubscription(details.email, now));
        subscription.apply(fromJson(details.preferences), now);
        subscription.status = SubscriptionStatus.ACTIVE;
        subscription.unsubscribedAt = null;
        subscription.consentOrigin = details.origin;
        subscription.consentSource = details.source;
        subscription.consentRequestedAt = pending.requestedAt;
        subscription.consentConfirmedAt = now;
        subscription.persist();
        PendingConfirmation.deleteForEmail(details.email);
        SuppressedAddress.delete("emailKey = ?1 and reason = ?2", tokens.emailKey(details.email),
                SuppressedAddress.ERASED);
        Log.infof("Subscription %d confirmed (%s)", subscription.id, subscription.consentOrigin);
        confirmed.fire(new SubscriptionConfirmed(subscription));
        changed.fire(new SubscriptionChanged(subscription.id));
        return subscription;
    }

    @Transactional
    public Subscription byManageToken(String manageToken) {
        return Subscription.findByManageToken(manageToken).orElseThrow(() -> new NotFoundProblem(UNKNOWN_LINK));
    }

    @Transactional
    public Subscription updatePreferences(String manageToken, Preferences preferences) {
        Subscription subscription = byManageToken(manageToken);
        subscription.apply(preferences, clock.instant());
        Log.infof("Subscription %d preferences changed", subscription.id);
        changed.fire(new SubscriptionChanged(subscription.id));
        return subscription;
    }

    @Transactional
    public Subscription byUnsubscribeToken(String unsubscribeToken) {
        return Subscription.findByUnsubscribeToken(unsubscribeToken)
                .orElseThrow(() -> new NotFoundProblem(UNKNOWN_LINK));
    }

    /** One-click unsubscribe (RFC 8058), with the token of the mail's List-Unsubscribe link. */
    @Transactional
    public Subscription unsubscribe(String unsubscribeToken) {
        return unsubscribe(byUnsubscribeToken(unsubscribeToken));
    }

    @Transactional
    public Subscription unsubscribeByManageToken(String manageToken) {
        return unsubscribe(byManageToken(manageToken));
    }

    /** Back on with the manage link from a mail: clicking it proves the mailbox, so no new confirmation is needed. */
    @Transactional
    public Subscription resubscribe(String manageToken) {
        Subscription subscription = byManageToken(manageToken);
        if (subscription.status != SubscriptionStatus.ACTIVE) {
            Instant now = clock.instant();
            subscription.status = SubscriptionStatus.ACTIVE;
            subscription.unsubscribedAt = null;
            subscription.consentOrigin = Origin.MANAGE_LINK;
            subscription.consentSource = null;
            subscription.consentRequestedAt = now;
            subscription.consentConfirmedAt = now;
            subscription.updatedAt = now;
            Log.infof("Subscription %d re-subscribed", subscription.id);
            changed.fire(new SubscriptionChanged(subscription.id));
        }
        return subscription;
    }

    @Transactional
    public SubscriptionExport export(String manageToken) {
        Subscription s = byManageToken(manageToken);
        return new SubscriptionExport(s.email, s.status.name(), s.preferences(),
                new SubscriptionExport.Consent(s.consentOrigin.name(), s.consentSource, s.consentRequestedAt,
                        s.consentConfirmedAt),
                s.createdAt, s.updatedAt, s.unsubscribedAt,
                List.of("Links in mails are derived from a random value that is deleted with your data.",
                        "After erasure only a keyed hash of your address is kept, so that others cannot sign it up "
                                + "again through partner organisations; you can still sign up yourself."));
    }

    /**
     * Deletes every personal datum of the subscriber: the subscription, its platforms, its tokens (their salt), its
     * consent record, and any pending request or confirmation for the address. Keeps a keyed hash of the address.
     */
    @Transactional
    public void erase(String manageToken) {
        Subscription subscription = Subscription.findByManageTokenForUpdate(manageToken)
                .orElseThrow(() -> new NotFoundProblem(UNKNOWN_LINK));
        String email = subscription.email;
        long id = subscription.id;
        // Stop what is pending first, in the order the dispatcher locks: an erasure clicked while a mail to this
        // subscriber is being sent then waits for it. Deleting at once cascaded into the sent reminders the
        // dispatcher updates after sending a follow-up, and deadlocked with it (StopRaceTest).
        stopped.fire(new SubscriptionStopped(id));
        subscription.delete();
        PendingConfirmation.deleteForEmail(email);
        ReceivedRequest.delete("details.email", email);
        SuppressedAddress.suppress(tokens.emailKey(email), SuppressedAddress.ERASED, clock.instant());
        Log.infof("Subscription %d erased", id);
    }

    @Transactional
    public void purgeExpired() {
        Instant now = clock.instant();
        long confirmations = PendingConfirmation.purgeExpired(now);
        long throttles = MailThrottle.purge(now.minus(settings.mailInterval()));
        if (confirmations + throttles > 0) {
            Log.infof("Purged %d expired confirmations and %d mail throttles", confirmations, throttles);
        }
    }

    private Subscription unsubscribe(Subscription subscription) {
        if (subscription.status == SubscriptionStatus.ACTIVE) {
            Instant now = clock.instant();
            subscription.status = SubscriptionStatus.UNSUBSCRIBED;
            subscription.unsubscribedAt = now;
            subscription.updatedAt = now;
            Log.infof("Subscription %d unsubscribed", subscription.id);
            stopped.fire(new SubscriptionStopped(subscription.id));
        }
        return subscription;
    }

    private Subscription newSubscription(String email, Instant now) {
        Subscription subscription = new Subscription();
        subscription.email = email;
        subscription.tokenSalt = tokens.newSalt();
        subscription.manageTokenHash = Tokens.hash(tokens.manageToken(subscription.tokenSalt));
        subscription.unsubscribeTokenHash = Tokens.hash(tokens.unsubscribeToken(subscription.tokenSalt));
        subscription.createdAt = now;
        return subscription;
    }

    String toJson(Preferences preferences) {
        try {
            return json.writeValueAsString(preferences);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Preferences always serialise", e);
        }
    }

    Preferences fromJson(String preferences) {
        try {
            return json.readValue(preferences, Preferences.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored preferences are unreadable", e);
        }
    }
}
