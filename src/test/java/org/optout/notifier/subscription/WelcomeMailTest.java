package org.optout.notifier.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.policy.PolicyChangeStatus;

/** The welcome mail lists what already took effect for the new subscriber, because opting out late still helps. */
@QuarkusTest
class WelcomeMailTest {

    @Test
    void welcomeMailListsRecentChangesInEffectForTheCountryAndPlatforms() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String recent = change("recent-" + run, "MO", "snapchat", LocalDate.now().minusDays(5), "Recent " + run);
        String old = change("old-" + run, "MO", "snapchat", LocalDate.now().minusDays(40), "Old " + run);
        String elsewhere = change("elsewhere-" + run, "DE", "snapchat", LocalDate.now().minusDays(5), "Elsewhere " + run);
        String otherPlatform = change("other-" + run, "MO", "reddit", LocalDate.now().minusDays(5), "Reddit " + run);
        String upcoming = change("upcoming-" + run, "MO", "snapchat", LocalDate.now().plusDays(5), "Upcoming " + run);
        String email = Clients.newAddress();

        Clients.fromNewIp().body(new SubscriptionRequest(email, "MO", List.of("snapchat"), null, null, "en", null))
                .post("/api/subscriptions").then().statusCode(202);
        String token = SubscriptionFlows.confirmationToken(email);
        Clients.fromNewIp().post("/api/confirmations/" + token).then().statusCode(200);
        MimeMessage welcome = Mailbox.awaitOne(email, "Your opt-out deadline reminders are on");

        String text = Mailbox.text(welcome);
        assertThat(text).contains("Already in effect where you live")
                .contains(recent).contains("1. Open Snapchat settings").contains("2. Turn it off")
                .doesNotContain(old).doesNotContain(elsewhere).doesNotContain(otherPlatform)
                .doesNotContain(upcoming);
    }

    private static String change(String changeId, String country, String platform, LocalDate effective,
            String title) throws Exception {
        String data = new ObjectMapper().writeValueAsString(Map.of("changeId", changeId, "revision", 1,
                "platforms", List.of(platform), "regions", List.of(country),
                "effectiveDate", effective.toString(), "title", title,
                "optOut", Map.of("steps", List.of("Open Snapchat settings", "Turn it off"),
                        "url", "https://example.org/settings")));
        QuarkusTransaction.requiringNew().run(() -> {
            PolicyChange change = new PolicyChange();
            change.changeId = changeId;
            change.source = "https://www.pcpd.org.hk";
            change.revision = 1;
            change.status = PolicyChangeStatus.ACTIVE;
            change.title = title;
            change.effectiveDate = effective;
            change.data = data;
            change.receivedAt = Instant.now();
            change.platforms.add(platform);
            change.countries.add(country);
            change.persist();
        });
        return title;
    }
}
