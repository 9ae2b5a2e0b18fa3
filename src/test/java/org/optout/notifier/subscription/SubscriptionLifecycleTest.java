package org.optout.notifier.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.optout.notifier.subscription.Clients.fromNewIp;
import static org.optout.notifier.subscription.Clients.newAddress;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.optout.notifier.config.TestClock;

/** What a subscriber does with the manage link: change, unsubscribe, come back, export, erase. */
@QuarkusTest
@Tag("persistence")
class SubscriptionLifecycleTest {

    @Inject
    Tokens tokens;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void preferencesChangeWithTheManageToken() throws Exception {
        String manage = SubscriptionFlows.activeSubscriber(newAddress());

        fromNewIp().body(new SubscriptionRequest(null, "DE", List.of("facebook", "instagram"), List.of(3), 18, "zh-HK",
                null)).put("/api/subscriptions/" + manage).then().statusCode(200)
                .body("preferences.country", equalTo("DE"))
                .body("preferences.platforms", equalTo(List.of("facebook", "instagram")))
                .body("preferences.leadDays", equalTo(List.of(3)))
                .body("preferences.sendHour", equalTo(18))
                .body("preferences.language", equalTo("zh-HK"))
                .body("preferences.timeZone", equalTo("Europe/Berlin"));
        fromNewIp().body(new SubscriptionRequest(null, "DE", List.of(), List.of(99), null, null, null))
                .put("/api/subscriptions/" + manage).then().statusCode(400)
                .body("errors.field", hasItem("platforms"));
        fromNewIp().get("/api/subscriptions/" + manage).then().statusCode(200)
                .body("preferences.country", equalTo("DE"));
    }

    @Test
    void unknownTokensAreNotFoundProblems() {
        String unknown = tokens.newRandomToken();
        fromNewIp().get("/api/subscriptions/" + unknown).then().statusCode(404)
                .contentType("application/problem+json").body("title", equalTo("Not found"));
        fromNewIp().delete("/api/subscriptions/" + unknown).then().statusCode(404);
        fromNewIp().get("/api/confirmations/" + unknown).then().statusCode(404);
    }

    @Test
    void oneClickUnsubscribeNeedsNoCookieAndTheManageLinkStillWorksAfterwards() throws Exception {
        String email = newAddress();
        String manage = SubscriptionFlows.activeSubscriber(email);
        String unsubscribe = tokens.unsubscribeToken(subscriptionOf(email).tokenSalt);

        io.restassured.RestAssured.given().get("/unsubscribe/" + unsubscribe).then().statusCode(200);
        assertThat(subscriptionOf(email).status).as("a GET never unsubscribes").isEqualTo(SubscriptionStatus.ACTIVE);

        io.restassured.RestAssured.given().contentType("application/x-www-form-urlencoded")
                .body("List-Unsubscribe=One-Click").post("/unsubscribe/" + unsubscribe).then().statusCode(200);
        assertThat(subscriptionOf(email).status).isEqualTo(SubscriptionStatus.UNSUBSCRIBED);

        fromNewIp().get("/api/subscriptions/" + manage).then().statusCode(200)
                .body("status", equalTo("UNSUBSCRIBED")).body("unsubscribedAt", notNullValue());
        fromNewIp().post("/api/subscriptions/" + manage + "/resubscribe").then().statusCode(200)
                .body("status", equalTo("ACTIVE")).body("unsubscribedAt", nullValue());
        assertThat(subscriptionOf(email).consentOrigin).isEqualTo(Origin.MANAGE_LINK);
    }

    @Test
    void oneClickAlsoAcceptsAMultipartBody() throws Exception {
        String email = newAddress();
        SubscriptionFlows.activeSubscriber(email);
        String unsubscribe = tokens.unsubscribeToken(subscriptionOf(email).tokenSalt);

        io.restassured.RestAssured.given().multiPart("List-Unsubscribe", "One-Click")
                .post("/unsubscribe/" + unsubscribe).then().statusCode(200);

        assertThat(subscriptionOf(email).status).isEqualTo(SubscriptionStatus.UNSUBSCRIBED);
    }

    @Test
    void oneClickWithoutTheRfc8058BodyChangesNothing() throws Exception {
        String email = newAddress();
        SubscriptionFlows.activeSubscriber(email);
        String unsubscribe = tokens.unsubscribeToken(subscriptionOf(email).tokenSalt);

        io.restassured.RestAssured.given().contentType("application/x-www-form-urlencoded").body("foo=bar")
                .post("/unsubscribe/" + unsubscribe).then().statusCode(400);
        io.restassured.RestAssured.given().contentType("application/x-www-form-urlencoded")
                .body("List-Unsubscribe=One-Click%").post("/unsubscribe/" + unsubscribe).then().statusCode(400);
        io.restassured.RestAssured.given().contentType("application/x-www-form-urlencoded")
                .body("List-Unsubscribe=One-Click").post("/unsubscribe/" + tokens.newRandomToken())
                .then().statusCode(404);
        assertThat(subscriptionOf(email).status).isEqualTo(SubscriptionStatus.ACTIVE);
    }

    @Test
    void exportHoldsEverythingKeptIncludingProofOfConsent() throws Exception {
        String email = newAddress();
        String manage = SubscriptionFlows.activeSubscriber(email);

        fromNewIp().get("/api/subscriptions/" + manage + "/export").then().statusCode(200)
                .header("Content-Disposition", "attachment; filename=\"optout-notifier-my-data.json\"")
                .body("email", equalTo(email))
                .body("status", equalTo("ACTIVE"))
                .body("preferences.country", equalTo("HK"))
                .body("consent.origin", equalTo("API"))
                .body("consent.requestedAt", notNullValue())
                .body("consent.confirmedAt", notNullValue());
    }

    @Test
    void erasureDeletesEverythingAndKeepsOnlyAKeyedHash() throws Exception {
        String email = newAddress();
        String manage = SubscriptionFlows.activeSubscriber(email);
        long id = subscriptionOf(email).id;

        fromNewIp().delete("/api/subscriptions/" + manage).then().statusCode(204);

        fromNewIp().get("/api/subscriptions/" + manage).then().statusCode(404);
        assertThat(subscriptionOf(email)).isNull();
        assertThat(QuarkusTransaction.requiringNew().call(() -> Subscription.getEntityManager()
                .createNativeQuery("select count(*) from subscription_platform where subscription_id = ?1")
                .setParameter(1, id).getSingleResult())).isEqualTo(0L);
        assertThat(QuarkusTransaction.requiringNew().call(() -> PendingConfirmation.count("details.email", email)
                + ReceivedRequest.count("details.email", email))).isZero();
        SuppressedAddress suppressed = QuarkusTransaction.requiringNew()
                .call(() -> SuppressedAddress.<SuppressedAddress>findById(tokens.emailKey(email)));
        assertThat(suppressed).isNotNull();
        assertThat(suppressed.emailKey).doesNotContain("@").hasSize(64);
    }

    @Test
    void theOwnerCanSignUpAgainAfterErasure() throws Exception {
        String email = newAddress();
        String manage = SubscriptionFlows.activeSubscriber(email);
        fromNewIp().delete("/api/subscriptions/" + manage).then().statusCode(204);
        clock.advance(Duration.ofMinutes(11));

        SubscriptionFlows.signUp(email);
        String token = Mailbox.linkToken(Mailbox.awaitCount(email, SubscriptionFlows.CONFIRM_SUBJECT, 2).get(1),
                "confirm");
        fromNewIp().post("/api/confirmations/" + token).then().statusCode(200)
                .body("subscription.status", equalTo("ACTIVE"));
        SuppressedAddress suppressed = QuarkusTransaction.requiringNew()
                .call(() -> SuppressedAddress.<SuppressedAddress>findById(tokens.emailKey(email)));
        assertThat(suppressed).isNull();
    }

    private static Subscription subscriptionOf(String email) {
        return QuarkusTransaction.requiringNew().call(() -> Subscription.findByEmail(email).orElse(null));
    }
}
