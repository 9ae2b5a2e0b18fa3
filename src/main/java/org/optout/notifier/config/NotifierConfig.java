package org.optout.notifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The service's own settings, under the {@code notifier.} prefix; each can be set from the environment
 * ({@code NOTIFIER_BASE_URL}, ...).
 */
@ConfigMapping(prefix = "notifier")
public interface NotifierConfig {

    /** Public base URL of the web pages, used in links that leave the service (mails). Default http://localhost:8080. */
    @WithDefault("http://localhost:8080")
    String baseUrl();

    /**
     * Where the notice of an accepted policy change goes until reminders to subscribers exist.
     * Default operators@localhost.
     */
    @WithDefault("operators@localhost")
    String intakeNoticeTo();
}
