package org.optout.notifier.subscription;

import java.util.List;

/**
 * A sign-up as a client sends it (REST, form, Kafka). Every field is checked by {@link SubscriptionValidator};
 * only {@code email}, {@code country} and {@code platforms} are required.
 */
public record SubscriptionRequest(String email, String country, List<String> platforms, List<Integer> leadDays,
        Integer sendHour, String language, String timeZone) {
}
