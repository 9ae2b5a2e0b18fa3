package org.optout.notifier.infrastructure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.optout.notifier.policy.PlanningTask;
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.policy.PolicyChangeStatus;
import org.optout.notifier.subscription.Origin;
import org.optout.notifier.subscription.Subscription;
import org.optout.notifier.subscription.SubscriptionStatus;
import org.optout.notifier.subscription.Tokens;

/**
 * Rows stored straight in the database, for tests about what happens to subscribers and changes once they exist
 * (the sign-up and Kafka paths that normally create them have tests of their own).
 */
public final class Fixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /**
     * A subscriber with lead days 7 and 1. With {@code tokens}, its manage and unsubscribe links work for
     * {@code salt}; without, they are placeholders that no link matches.
     */
    public static long subscriber(Tokens tokens, String salt, String email, String country, String zone, int sendHour,
            String language, SubscriptionStatus status, String... platforms) {
        String tokenSalt = salt == null ? UUID.randomUUID().toString() : salt;
        return QuarkusTransaction.requiringNew().call(() -> {
            Subscription s = new Subscription();
            s.email = email;
            s.country = country;
            s.platforms.addAll(List.of(platforms));
            s.leadDays.addAll(List.of(7, 1));
            s.sendHour = sendHour;
            s.language = language;
            s.timeZone = zone;
            s.status = status;
            s.tokenSalt = tokenSalt;
            s.manageTokenHash = tokens == null ? "m" + tokenSalt.replace("-", "")
                    : Tokens.hash(tokens.manageToken(tokenSalt));
            s.unsubscribeTokenHash = tokens == null ? "u" + tokenSalt.replace("-", "")
                    : Tokens.hash(tokens.unsubscribeToken(tokenSalt));
            s.consentOrigin = Origin.API;
            s.consentRequestedAt = Instant.now();
            s.consentConfirmedAt = Instant.now();
            s.createdAt = Instant.now();
            s.updatedAt = Instant.now();
            s.persist();
            return s.id;
        });
    }

    /** An active LinkedIn change at revision 1 in these countries, with one opt-out step. */
    public static void linkedInChange(String changeId, String title, LocalDate effective, List<String> countries,
            boolean planned) {
        change(changeId, title, effective, "linkedin", countries, Map.of("changeId", changeId, "revision", 1,
                "title", title, "platforms", List.of("linkedin"), "regions", countries,
                "effectiveDate", effective.toString(),
                "optOut", Map.of("steps", List.of("Turn it off"), "url", "https://example.org/settings")), planned);
    }

    /** An active change at revision 1 with this contract {@code data}, and its planning task when {@code planned}. */
    public static void change(String changeId, String title, LocalDate effective, String platform,
            List<String> countries, Map<String, Object> data, boolean planned) {
        String json = json(data);
        QuarkusTransaction.requiringNew().run(() -> {
            PolicyChange change = new PolicyChange();
            change.changeId = changeId;
            change.source = "https://www.pcpd.org.hk";
            change.revision = 1;
            change.status = PolicyChangeStatus.ACTIVE;
            change.title = title;
            change.effectiveDate = effective;
            change.data = json;
            change.receivedAt = Instant.now();
            change.platforms.add(platform);
            change.countries.addAll(countries);
            change.persist();
            if (planned) {
                PlanningTask task = new PlanningTask();
                task.changeId = changeId;
                task.revision = 1;
                task.createdAt = Instant.now();
                task.persist();
            }
        });
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
