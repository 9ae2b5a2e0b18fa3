package org.optout.notifier.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.internet.MimeMessage;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.optout.notifier.infrastructure.Fixtures;

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

    @Test
    void aChineseSignUpGetsItsMailsInChinese() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        change("zh-" + run, "MO", "tiktok", LocalDate.now().minusDays(3), "English title " + run);
        String email = Clients.newAddress();

        Clients.fromNewIp().body(new SubscriptionRequest(email, "MO", List.of("tiktok"), null, null, "zh-HK", null))
                .post("/api/subscriptions").then().statusCode(202);
        MimeMessage confirmation = Mailbox.awaitOne(email, "確認你的退出限期提醒");
        assertThat(Mailbox.text(confirmation)).contains("如要確認，請開啟以下連結並按下按鈕（48 小時內有效）")
                .contains("國家或地區: 中國澳門特別行政區");
        String token = Mailbox.linkToken(confirmation, "confirm");
        Clients.fromNewIp().post("/api/confirmations/" + token).then().statusCode(200);

        String welcome = Mailbox.text(Mailbox.awaitOne(email, "你的退出限期提醒已開啟"));
        assertThat(welcome).contains("在你居住的地方已經生效").contains("中文標題 " + run)
                .contains("1. 開啟設定頁").doesNotContain("English title");
    }

    private static String change(String changeId, String country, String platform, LocalDate effective,
            String title) {
        Fixtures.change(changeId, title, effective, platform, List.of(country), Map.of("changeId", changeId,
                "revision", 1, "platforms", List.of(platform), "regions", List.of(country),
                "effectiveDate", effective.toString(), "title", title,
                "optOut", Map.of("steps", List.of("Open Snapchat settings", "Turn it off"),
                        "url", "https://example.org/settings"),
                "translations", Map.of("zh-HK", Map.of("title", title.replace("English title", "中文標題"),
                        "steps", List.of("開啟設定頁", "關掉它")))), false);
        return title;
    }
}
