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

    /** Password of the operator account "admin" of /api/admin (HTTP Basic). No default. */
    String adminPassword();

    /**
     * Settings production cannot run without that Quarkus itself takes as optional, so that its own start-up check
     * does not report them (an expression that cannot be expanded in an optional setting just leaves it unset). In
     * {@code %prod}, application.properties sets each of these to an expression over its environment variable; being
     * required here, they are expanded in SmallRye's start-up validation, which names every missing variable in the
     * same message as the other missing settings, before anything connects. Unchecked in the other profiles; nothing
     * else reads them.
     */
    Required required();

    interface Required {

        /** The value where nothing is checked. */
        String UNCHECKED = "unchecked outside %prod";

        /** QUARKUS_DATASOURCE_JDBC_URL in production. */
        @WithDefault(UNCHECKED)
        String datasourceUrl();

        /** QUARKUS_DATASOURCE_USERNAME in production. */
        @WithDefault(UNCHECKED)
        String datasourceUsername();

        /** QUARKUS_DATASOURCE_PASSWORD in production. */
        @WithDefault(UNCHECKED)
        String datasourcePassword();

        /** KAFKA_BOOTSTRAP_SERVERS in production (not a Quarkus mapping: Kafka clients read it late). */
        @WithDefault(UNCHECKED)
        String kafkaBootstrapServers();

        /** QUARKUS_MAILER_FROM in production: a made-up sender gets every mail refused by the relay. */
        @WithDefault(UNCHECKED)
        String mailerFrom();
    }

    Subscriptions subscriptions();

    RateLimit rateLimit();

    Kafka kafka();

    Policy policy();

    Delivery delivery();

    Reminders reminders();

    interface Reminders {

        /** First local hour of the waking window in which catch-up reminders go out. Default 8. */
        @WithDefault("8")
        int wakingHoursStart();

        /** Local hour at which that window closes. Default 21. */
        @WithDefault("21")
        int wakingHoursEnd();
    }

    interface Delivery {

        /** How often each instance looks for due reminders. Default 15s. */
        @WithDefault("15s")
        String poll();

        /**
         * Mails per second the whole deployment sends at most (reminders and follow-ups), the relay's quota for the
         * account: the live replicas share it ({@code heartbeat}). 0 for no limit. Default 10.
         */
        @WithDefault("10")
        double maxMailsPerSecond();

        /**
         * How soon the replicas that remain take a dead replica's share of {@code max-mails-per-second}: each writes a
         * heartbeat every fifth of this (at most one a second, so 5s or more) and counts the replicas heard from in
         * the last three fifths. Default 5s.
         */
        @WithDefault("5s")
        Duration heartbeat();

        /**
         * SMTP sessions one instance keeps open for reminders and follow-ups, and so the mails it has with the relay at
         * the same time (confirmations and welcomes go through Quarkus's mailer and its own pool). Each mail waits for
         * four replies in turn, so sessions hide that latency: 8 sent 13 to 30 % more than 4 on two busy cores. Bulk
         * relays take dozens of sessions; lower it for a relay that allows fewer per account. Default 8.
         */
        @WithDefault("8")
        int connections();

        /**
         * Subscribers claimed in one transaction: their mails are sent, and then recorded together. A crash before
         * that commit can repeat this batch's mails (see {@code batches-in-flight}). Default 100.
         */
        @WithDefault("100")
        int batch();

        /**
         * Batches one instance has under way at once: while one sends, another claims, renders or records. A crash can
         * repeat at most the mails of these batches ({@code batch} times this). Default 2.
         */
        @WithDefault("2")
        int batchesInFlight();

        /** Wait before the first retry after a transient SMTP failure (4xx, refused, timeout); doubled each time. Default 1m. */
        @WithDefault("1m")
        Duration retryInitial();

        /**
         * How long any send may wait for the SMTP server before it counts as a transient failure and is retried (also
         * the socket timeout of the reminders' SMTP sessions). Also the bound on a race in Quarkus's mail client
         * (vertx-mail-client 4.5), which sends the one-off mails: a send issued while the pool's last connection is
         * being closed is never answered. Default 30s.
         */
        @WithDefault("30s")
        Duration sendTimeout();

        /** Longest wait between retries. Default 30m. */
        @WithDefault("30m")
        Duration retryMax();

        /** The last retry of a reminder is this long before its deadline; then it is failed. Default 10m. */
        @WithDefault("10m")
        Duration giveUpBeforeDeadline();

        /** How long a follow-up (deadline moved, no longer needed) is retried. Default 48h. */
        @WithDefault("48h")
        Duration followUpRetryFor();

        /** Consecutive permanent failures (5xx) after which an address is suppressed as bouncing. Default 2. */
        @WithDefault("2")
        int bouncesBeforeSuppression();
    }

    interface Policy {

        /**
         * The CloudEvent {@code source} URIs allowed to publish policy changes, or {@code *} for anyone (local runs).
         * No default: production must name its publishers.
         */
        List<String> allowedSources();

        /**
         * A change whose audience (active matching subscribers) is larger than this is held until an operator
         * approves it ({@code POST /api/admin/changes/{changeId}/approval}); 0 switches the gate off. Default 50000.
         */
        @WithDefault("50000")
        long approvalThreshold();
    }

    interface Kafka {

        /**
         * Consumer group of both incoming channels (policy-changes, subscription-requests); replicas share it, so each
         * record is consumed by one of them. Default optout-notifier.
         */
        @WithDefault("optout-notifier")
        String groupId();

        /**
         * Consumer threads of each incoming channel in one instance (its {@code partitions} attribute); more than a
         * topic's partitions across all replicas sit idle. Default 1.
         */
        @WithDefault("1")
        int consumers();

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
