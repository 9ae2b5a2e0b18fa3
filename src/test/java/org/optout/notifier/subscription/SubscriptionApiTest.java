package org.optout.notifier.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.optout.notifier.subscription.Clients.fromNewIp;
import static org.optout.notifier.subscription.Clients.newAddress;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.optout.notifier.config.TestClock;
import org.optout.notifier.infrastructure.SmtpFaults;

/** The subscription REST API through the real database and SMTP server. */
@QuarkusTest
@Tag("persistence")
class SubscriptionApiTest {

    @Inject
    TestClock clock;

    @Inject
    RequestProcessor processor;

    @Inject
    Tokens tokens;

    @Inject
    MeterRegistry registry;

    @AfterEach
    void resetClock() {
        SmtpFaults.clear();
        clock.reset();
    }

    @Test
    void signUpMailsAConfirmationLinkAndOnlyThePostActivates() throws Exception {
        String email = newAddress();
        fromNewIp().body(Clients.signUpBody(email)).post("/api/subscriptions").then().statusCode(202)
                .body("preferences.country", equalTo("HK"))
                .body("preferences.timeZone", equalTo("Asia/Hong_Kong"))
                .body("timeZoneChoice", equalTo("COUNTRY_DEFAULT"))
                .body("preferences.leadDays", equalTo(List.of(7, 1)))
                .body("preferences.sendHour", equalTo(9));
        String token = SubscriptionFlows.confirmationToken(email);

        fromNewIp().get("/api/confirmations/" + token).then().statusCode(200).body("email", equalTo(email));
        fromNewIp().get("/api/confirmations/" + token).then().statusCode(200);
        assertThat(subscriptionOf(email)).as("a GET changes nothing").isNull();

        fromNewIp().post("/api/confirmations/" + token).then().statusCode(200)
                .body("subscription.status", equalTo("ACTIVE"))
                .body("manageToken", notNullValue());
        Subscription active = subscriptionOf(email);
        assertThat(active.status).isEqualTo(SubscriptionStatus.ACTIVE);
        assertThat(active.consentOrigin).isEqualTo(Origin.API);
        assertThat(active.consentConfirmedAt).isNotNull();
        fromNewIp().post("/api/confirmations/" + token).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void welcomeMailCarriesOneClickUnsubscribeHeaders() throws Exception {
        String email = newAddress();
        String manageToken = SubscriptionFlows.activeSubscriber(email);

        MimeMessage welcome = Mailbox.awaitOne(email, "Your opt-out deadline reminders are on");

        String unsubscribeToken = tokens.unsubscribeToken(subscriptionOf(email).tokenSalt);
        assertThat(welcome.getHeader("List-Unsubscribe")[0]).endsWith("/unsubscribe/" + unsubscribeToken + ">");
        assertThat(welcome.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(Mailbox.linkToken(welcome, "manage")).isEqualTo(manageToken);
    }

    @Test
    void answerIsTheSameForNewPendingAndActiveAddresses() throws Exception {
        String pending = newAddress();
        SubscriptionFlows.signUp(pending);
        SubscriptionFlows.confirmationToken(pending);
        String active = newAddress();
        SubscriptionFlows.activeSubscriber(active);
        String fresh = newAddress();
        clock.advance(Duration.ofMinutes(11));

        String forNew = signUpBody(fresh);
        String forPending = signUpBody(pending);
        String forActive = signUpBody(active);

        assertThat(forPending).isEqualTo(forNew);
        assertThat(forActive).isEqualTo(forNew);
        assertThat(Mailbox.awaitOne(active, "You already get opt-out deadline reminders")).isNotNull();
    }

    @Test
    void onlyOneConfirmationMailPerAddressWithinTenMinutes() throws Exception {
        String email = newAddress();
        SubscriptionFlows.signUp(email);
        SubscriptionFlows.confirmationToken(email);
        SubscriptionFlows.signUp(email);
        SubscriptionFlows.awaitAnswered(email);

        assertThat(Mailbox.all(email)).hasSize(1);

        clock.advance(Duration.ofMinutes(11));
        SubscriptionFlows.signUp(email);
        assertThat(Mailbox.awaitCount(email, SubscriptionFlows.CONFIRM_SUBJECT, 2)).hasSize(2);
    }

    @Test
    void clientIpOverItsBudgetGets429WithRetryAfter() {
        // Start just after a window boundary, so that all eleven requests fall in one fixed window.
        long window = Duration.ofMinutes(10).toMillis();
        clock.advance(Duration.ofMillis(window - clock.instant().toEpochMilli() % window + 1000));
        String ip = Clients.newIp();
        for (int i = 0; i < 10; i++) {
            Clients.from(ip).body(Clients.signUpBody(newAddress())).post("/api/subscriptions").then().statusCode(202);
        }
        Clients.from(ip).body(Clients.signUpBody(newAddress())).post("/api/subscriptions").then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("status", equalTo(429));
        fromNewIp().body(Clients.signUpBody(newAddress())).post("/api/subscriptions").then().statusCode(202);
    }

    @Test
    void everyInvalidFieldIsListedWithItsRule() {
        fromNewIp().body("""
                {"email":"not-an-address","country":"XX","platforms":["linkedin","myspace"],"leadDays":[0,7,31],
                 "sendHour":24,"language":"fr","timeZone":"Mars/Olympus"}""")
                .post("/api/subscriptions").then().statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Invalid request"))
                .body("errors.field", hasItems("email", "country", "platforms[1]", "leadDays[0]", "leadDays[2]",
                        "sendHour", "language", "timeZone"))
                .body("errors.find { it.field == 'email' }.rule", equalTo("format"))
                .body("errors.find { it.field == 'country' }.rule", equalTo("iso-3166-alpha-2"));
    }

    @Test
    void hugeListsAreRefusedWithOneErrorNotOnePerItem() {
        List<Integer> leadDays = java.util.Collections.nCopies(20_000, 0);
        fromNewIp().body(new SubscriptionRequest(newAddress(), "HK", List.of("linkedin"), leadDays, null, null, null))
                .post("/api/subscriptions").then().statusCode(400)
                .body("errors.size()", equalTo(1))
                .body("errors[0].rule", equalTo("max-items"));
    }

    @Test
    void addressesDifferingOnlyInCaseShareTheMailLimit() throws Exception {
        String mailbox = "case-" + java.util.UUID.randomUUID();
        SubscriptionFlows.signUp(mailbox + "@example.org");
        SubscriptionFlows.confirmationToken(mailbox + "@example.org");
        SubscriptionFlows.signUp(mailbox.toUpperCase(java.util.Locale.ROOT) + "@example.org");
        SubscriptionFlows.awaitAnswered(mailbox.toUpperCase(java.util.Locale.ROOT) + "@example.org");

        assertThat(Mailbox.all(mailbox.toUpperCase(java.util.Locale.ROOT) + "@example.org")).isEmpty();
    }

    @Test
    void missingFieldsAndMalformedJsonAreProblems() {
        fromNewIp().body("{}").post("/api/subscriptions").then().statusCode(400)
                .body("errors.field", hasItems("email", "country", "platforms"));
        fromNewIp().body("{\"email\": ").post("/api/subscriptions").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("not valid JSON"));
        fromNewIp().body("{\"email\":\"a@example.org\",\"country\":\"HK\",\"platforms\":[\"x\"],\"sendHour\":\"nine\"}")
                .post("/api/subscriptions").then().statusCode(400)
                .body("errors.field", hasItem("sendHour"));
    }

    @Test
    void headerInjectionAttemptsAreRejected() {
        for (String email : List.of("victim@example.org\r\nBcc: all@example.org", "victim@example.org\nX-Evil: 1",
                "victim@example.org\u0000")) {
            fromNewIp().body(new SubscriptionRequest(email, "HK", List.of("linkedin"), null, null, null, null))
                    .post("/api/subscriptions").then().statusCode(400)
                    .body("errors.find { it.field == 'email' }.rule", equalTo("no-control-characters"));
        }
        fromNewIp().body(new SubscriptionRequest(newAddress(), "HK\r\nBcc: x", List.of("linkedin\r\n"), null, null,
                "en\r\nX: y", "Asia/Hong_Kong\r\n")).post("/api/subscriptions").then().statusCode(400)
                .body("errors.rule", everyItemIs("no-control-characters"))
                .body("errors.field", hasItems("country", "platforms[0]", "language", "timeZone"));
    }

    @Test
    void ukIsReadAsGbAndAGivenTimeZoneIsKept() {
        fromNewIp().body(new SubscriptionRequest(newAddress(), "uk", List.of("LinkedIn"), List.of(1, 14, 7), 20,
                "zh-HK", "Europe/London")).post("/api/subscriptions").then().statusCode(202)
                .body("preferences.country", equalTo("GB"))
                .body("preferences.platforms", equalTo(List.of("linkedin")))
                .body("preferences.leadDays", equalTo(List.of(14, 7, 1)))
                .body("preferences.language", equalTo("zh-HK"))
                .body("preferences.timeZone", equalTo("Europe/London"))
                .body("timeZoneChoice", equalTo("GIVEN"));
    }

    /** Answers used to be dropped after 20 attempts, two to three hours of an SMTP outage. */
    @Test
    void anAnswerOutlivesAnOutageOfHoursAndGoesOutWhenTheRelayRecovers() throws Exception {
        String email = newAddress();
        SmtpFaults.refuseAll(true);
        fromNewIp().body(Clients.signUpBody(email)).post("/api/subscriptions").then().statusCode(202);

        for (int step = 0; step < 96; step++) {
            clock.advance(Duration.ofMinutes(5));
            drainUntilTried(email);
        }
        assertThat(waitingRequest(email)).as("still waiting after eight hours").isNotNull()
                .satisfies(r -> assertThat(r.attempts).isGreaterThan(20));

        SmtpFaults.refuseAll(false);
        // Its next attempt: the backoff has reached its cap of 10 minutes, plus up to half of it as jitter.
        clock.advance(Duration.between(clock.instant(), waitingRequest(email).nextAttemptAt).plusSeconds(1));
        drainUntilTried(email);
        assertThat(SubscriptionFlows.confirmationToken(email)).isNotBlank();
        assertThat(waitingRequest(email)).isNull();
    }

    @Test
    void anAnswerIsDroppedOnlyOnceItsLinkWouldHaveExpiredAndThatIsCounted() throws Exception {
        String email = newAddress();
        double droppedBefore = dropped();
        SmtpFaults.refuseAll(true);
        fromNewIp().body(Clients.signUpBody(email)).post("/api/subscriptions").then().statusCode(202);

        for (int hours = 2; hours <= 46; hours += 2) {
            clock.advance(Duration.ofHours(2));
            drainUntilTried(email);
        }
        assertThat(waitingRequest(email)).as("still within the link's 48 hours").isNotNull();
        clock.advance(Duration.ofHours(3));
        drainUntilTried(email);

        assertThat(waitingRequest(email)).isNull();
        assertThat(dropped()).isEqualTo(droppedBefore + 1);
    }

    /**
     * Drains until the request has been tried at the clock's present time (or answered): a drain called while the
     * processor's own thread is draining returns at once and leaves the work to it.
     */
    private void drainUntilTried(String email) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        do {
            processor.drain();
            ReceivedRequest request = waitingRequest(email);
            if (request == null || request.nextAttemptAt.isAfter(clock.instant())) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
    }

    private double dropped() {
        return registry.find("optout.signup.answers.dropped").counter().count();
    }

    private static ReceivedRequest waitingRequest(String email) {
        return QuarkusTransaction.requiringNew().call(() -> ReceivedRequest.<ReceivedRequest>find("details.email", email)
                .firstResult());
    }

    @Test
    void unconfirmedRequestsArePurgedAfterTheLinkExpires() throws Exception {
        String email = newAddress();
        SubscriptionFlows.signUp(email);
        String token = SubscriptionFlows.confirmationToken(email);

        clock.advance(Duration.ofHours(49));
        processor.purge();

        assertThat(QuarkusTransaction.requiringNew().call(() -> PendingConfirmation.count("details.email", email))).isZero();
        fromNewIp().post("/api/confirmations/" + token).then().statusCode(404);
    }

    private static String signUpBody(String email) {
        return fromNewIp().body(Clients.signUpBody(email)).post("/api/subscriptions").then().statusCode(202)
                .extract().asString();
    }

    private static Subscription subscriptionOf(String email) {
        return QuarkusTransaction.requiringNew().call(() -> Subscription.findByEmail(email).orElse(null));
    }

    private static org.hamcrest.Matcher<Iterable<? extends String>> everyItemIs(String value) {
        return org.hamcrest.Matchers.everyItem(equalTo(value));
    }
}
