package org.optout.notifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The service's own settings, under the {@code notifier.} prefix; each can be set from the environment
 * ({@code NOTIFIER_BASE_URL}, ...). Settings without a default must be given in production.
 */
@ConfigMapping(prefix = "notifier")
public interface NotifierConfig {

    /** Public base URL of the web pages, used in links that leave the service (mails). Default http://localhost:8080. */
    @WithDefault("http://localhost:8080")
    String baseUrl();

    /**
     * Where a notice of each stored policy change goes (an operator's inbox), or nobody when not set. Set for local
     * runs and tests.
     */
    Optional<String> intakeNoticeTo();

    /** The platform catalogue: code to display name ({@code notifier.platforms.linkedin=LinkedIn}). */
    Map<String, String> platforms();

    /** Secret (at least 32 characters) from which manage and unsubscribe tokens are derived. No default. */
    String tokenKey();

    /** Secret (at least 32 characters) for the HMAC under which addresses are kept in the suppression list. No default. */
    String emailHashKey();

    Subscriptions subscriptions();

    RateLimit rateLimit();

    Kafka kafka();

    Policy policy();

    interface Policy {

        /**
         * The CloudEvent {@code source} URIs allowed to publish policy changes, or {@code *} for anyone (local runs).
         * No default: production must name its publishers.
         */
        List<String> allowedSources();
    }

    interface Kafka {

        /**
         * How long the subscription-requests topic keeps records. Requests there carry addresses, so this is the
         * limit of erasure for requests forwarded through Kafka. Default 7d.
         */
        @WithDefault("7d")
        Duration subscriptionRequestsRetention();

        /** Whether the service sets that retention on the topic at start (off when topics are managed elsewhere). Default true. */
        @WithDefault("true")
        boolean manageTopicRetention();
    }

    interface Subscriptions {

        /** How long a confirmation link stays valid; unconfirmed requests are purged after it. Default 48h. */
        @WithDefault("48h")
        Duration confirmationValidity();

        /** At most one confirmation (or "already subscribed") mail per address within this interval. Default 10m. */
        @WithDefault("10m")
        Duration mailInterval();

        /** Lead days when a subscriber gives none. Default 7,1. */
        @WithDefault("7,1")
        List<Integer> defaultLeadDays();

        /** How often received requests are looked at for retries (new ones are answered at once). Default 5s. */
        @WithDefault("5s")
        String requestPoll();

        /** Local hour for reminders when a subscriber gives none. Default 9. */
        @WithDefault("9")
        int defaultSendHour();
    }

    interface RateLimit {

        /** Sign-up requests allowed per client IP within one window. Default 10. */
        @WithDefault("10")
        int signUpsPerWindow();

        /** Length of the rate-limit window. Default 10m. */
        @WithDefault("10m")
        Duration window();
    }
}
