package org.optout.notifier.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.optout.notifier.infrastructure.SmtpServer;
import org.optout.notifier.subscription.Subscription;
import org.optout.notifier.subscription.SubscriptionStatus;

/** The server-rendered pages over HTTP: CSRF, errors next to fields, languages, headers. */
@QuarkusTest
class WebPagesTest {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    @Test
    void startPageIsTheSignUpFormWithSecurityHeaders() {
        given().get("/").then().statusCode(200)
                .contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Content-Security-Policy", not(containsString("unsafe-inline")))
                .header("Referrer-Policy", equalTo("no-referrer"))
                .body(containsString("<html lang=\"en\">"))
                .body(containsString("<label for=\"email\">Email address</label>"))
                .body(containsString("name=\"csrf-token\""))
                .cookie("csrf-token");
    }

    @Test
    void chineseFromAcceptLanguageOrTheSwitchWhichIsRemembered() {
        given().header("Accept-Language", "zh-HK,zh;q=0.9").get("/").then().statusCode(200)
                .body(containsString("<html lang=\"zh-HK\">"))
                .body(containsString("電郵地址"))
                .body(containsString(">中國香港特別行政區<"));
        given().get("/?lang=zh-HK").then().statusCode(200)
                .body(containsString("在限期前收到提醒"))
                .cookie("lang", "zh-HK");
        given().cookie("lang", "zh-HK").header("Accept-Language", "en").get("/").then()
                .body(containsString("<html lang=\"zh-HK\">"));
    }

    @Test
    void formPostWithoutCsrfTokenIsRefused() {
        given().contentType("application/x-www-form-urlencoded")
                .formParam("email", "someone@example.org").formParam("country", "HK")
                .formParam("platforms", "linkedin")
                .post("/").then().statusCode(400);
    }

    @Test
    void invalidFormComesBackWithErrorsNextToFieldsAndWhatWasTyped() {
        Response page = given().get("/");
        given().cookie("csrf-token", page.cookie("csrf-token"))
                .header("X-Forwarded-For", "10.200.0.1")
                .contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", csrf(page.asString()))
                .formParam("email", "not an address").formParam("country", "HK")
                .formParam("timeZone", "Atlantis/Capital")
                .post("/").then().statusCode(400)
                .body(containsString("value=\"not an address\""))
                .body(containsString("<p class=\"error\" id=\"email-error\">Enter an email address"))
                .body(containsString("<p class=\"error\" id=\"platforms-error\">This field is required.</p>"))
                .body(containsString("value=\"Atlantis/Capital\""))
                .body(containsString("id=\"timeZone-error\""))
                .body(containsString("<option value=\"HK\" selected>"))
                .body(containsString("aria-invalid=\"true\" aria-describedby=\"email-error\""));
    }

    @Test
    void validFormSaysCheckYourMailboxAndTheConfirmPageActivatesOnlyOnPost() throws Exception {
        String email = "web-" + UUID.randomUUID() + "@example.org";
        Response page = given().get("/");
        given().cookie("csrf-token", page.cookie("csrf-token"))
                .header("X-Forwarded-For", "10.200.0.2")
                .contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", csrf(page.asString()))
                .formParam("email", email).formParam("country", "NO")
                .formParam("platforms", "linkedin").formParam("platforms", "facebook")
                .formParam("leadDays", "7").formParam("sendHour", "8").formParam("language", "en")
                .post("/").then().statusCode(200).body(containsString("Check your mailbox"));

        String confirmPath = confirmPath(email);
        Response confirm = given().get(confirmPath);
        confirm.then().statusCode(200).header("Referrer-Policy", equalTo("no-referrer"))
                .body(containsString(email)).body(containsString("Norway"));
        assertThat(status(email)).isNull();

        given().cookie("csrf-token", confirm.cookie("csrf-token"))
                .contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", csrf(confirm.asString()))
                .post(confirmPath).then().statusCode(200).body(containsString("Your reminders are on"));
        assertThat(status(email)).isEqualTo(SubscriptionStatus.ACTIVE);
    }

    @Test
    void unknownLinksGetAPageNotAStackTrace() {
        given().get("/confirm/" + "x".repeat(43)).then().statusCode(404).body(containsString("This link is not valid"));
        given().get("/manage/" + "x".repeat(43)).then().statusCode(404).body(containsString("This link is not valid"));
        given().get("/unsubscribe/" + "x".repeat(43)).then().statusCode(404);
    }

    private static String confirmPath(String email) throws Exception {
        var mails = SmtpServer.awaitMessages(email, m -> true, 1, Duration.ofSeconds(20));
        assertThat(mails).isNotEmpty();
        return SmtpServer.linkPath(mails.get(0), "confirm");
    }

    private static SubscriptionStatus status(String email) {
        return QuarkusTransaction.requiringNew()
                .call(() -> Subscription.findByEmail(email).map(s -> s.status).orElse(null));
    }

    static String csrf(String html) {
        Matcher matcher = CSRF_FIELD.matcher(html);
        assertThat(matcher.find()).as("CSRF field in the page").isTrue();
        return matcher.group(1);
    }
}
