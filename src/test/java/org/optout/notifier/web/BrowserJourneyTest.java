package org.optout.notifier.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.internet.MimeMessage;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.optout.notifier.infrastructure.KafkaBroker;
import org.optout.notifier.infrastructure.SmtpServer;
import org.optout.notifier.policy.SampleEvents;
import org.optout.notifier.subscription.Subscription;
import org.optout.notifier.subscription.SubscriptionStatus;

/**
 * A person's whole journey in real headless Chromium: sign up, follow the link from the mail the SMTP server
 * received, confirm, change a preference, export, unsubscribe; in English and in Chinese. Screenshots in
 * {@code target/screenshots}.
 */
@QuarkusTest
class BrowserJourneyTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** The demo sample as a change of this test's own: the shipped one is PolicyChangeSamplesTest's. */
    private static final String DEMO = "browser-demo-linkedin-genai-training";

    private static ChromeDriver browser;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void englishJourneyFromSignUpToUnsubscribe() throws Exception {
        String email = "browser-en-" + UUID.randomUUID() + "@example.org";
        open("/?lang=en");
        assertThat(browser.findElement(By.id("timeZone")).getAttribute("value"))
                .as("the script offers the browser's time zone").isNotBlank();
        browser.findElement(By.id("email")).sendKeys(email);
        new Select(browser.findElement(By.id("country"))).selectByValue("DE");
        browser.findElement(By.cssSelector("input[name=platforms][value=linkedin]")).click();
        Browser.screenshot(browser, "01-en-sign-up-form");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        awaitHeading("Check your mailbox");
        Browser.screenshot(browser, "02-en-check-your-mailbox");

        open(linkPath(awaitMail(email, "Confirm your"), "confirm"));
        awaitHeading("Confirm your reminders");
        assertThat(browser.getPageSource()).contains(email).contains("Germany").contains("LinkedIn");
        Browser.screenshot(browser, "03-en-confirm");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        awaitHeading("Your reminders are on");
        assertThat(statusOf(email)).isEqualTo(SubscriptionStatus.ACTIVE);
        Browser.screenshot(browser, "04-en-confirmed");

        browser.findElement(By.linkText("Change preferences, export or delete your data")).click();
        awaitHeading("Your reminders");
        new Select(browser.findElement(By.id("sendHour"))).selectByValue("20");
        browser.findElement(By.xpath("//button[text()='Save changes']")).click();
        awaitText("Your changes are saved.");
        assertThat(new Select(browser.findElement(By.id("sendHour"))).getFirstSelectedOption().getText())
                .isEqualTo("20:00");
        assertThat(sendHourOf(email)).isEqualTo(20);
        Browser.screenshot(browser, "05-en-preferences-saved");

        browser.findElement(By.id("export")).click();
        Path export = awaitDownload("optout-notifier-my-data.json");
        assertThat(Files.readString(export)).contains("\"email\":\"" + email + "\"").contains("\"sendHour\":20");

        open(linkPath(awaitMail(email, "reminders are on"), "unsubscribe"));
        awaitHeading("Stop all reminders?");
        assertThat(statusOf(email)).as("opening the link changes nothing").isEqualTo(SubscriptionStatus.ACTIVE);
        Browser.screenshot(browser, "06-en-unsubscribe");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        awaitHeading("You are unsubscribed");
        assertThat(statusOf(email)).isEqualTo(SubscriptionStatus.UNSUBSCRIBED);
        Browser.screenshot(browser, "07-en-unsubscribed");
    }

    @Test
    void chineseJourneyFromSignUpToPreferences() throws Exception {
        String email = "browser-zh-" + UUID.randomUUID() + "@example.org";
        open("/?lang=zh-HK");
        awaitHeading("在限期前收到提醒");
        browser.findElement(By.id("email")).sendKeys(email);
        new Select(browser.findElement(By.id("country"))).selectByValue("HK");
        browser.findElement(By.cssSelector("input[name=platforms][value=linkedin]")).click();
        new Select(browser.findElement(By.id("language"))).selectByValue("zh-HK");
        Browser.screenshot(browser, "11-zh-sign-up-form");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        awaitHeading("請查看你的郵箱");
        Browser.screenshot(browser, "12-zh-check-your-mailbox");

        open(linkPath(awaitMail(email, "確認你的退出限期提醒"), "confirm"));
        awaitHeading("確認你的提醒");
        Browser.screenshot(browser, "13-zh-confirm");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        awaitHeading("你的提醒已開啟");
        browser.findElement(By.linkText("更改偏好、匯出或刪除你的資料")).click();
        awaitHeading("你的提醒");
        browser.findElement(By.cssSelector("input[name=platforms][value=facebook]")).click();
        browser.findElement(By.xpath("//button[text()='儲存更改']")).click();
        awaitText("你的更改已儲存。");
        Browser.screenshot(browser, "14-zh-preferences-saved");
        assertThat(platformsOf(email)).containsExactlyInAnyOrder("facebook", "linkedin");
    }

    @Test
    void invalidInputIsShownNextToTheFieldWithWhatWasTyped() throws Exception {
        open("/?lang=en");
        browser.findElement(By.id("email")).sendKeys("no-at-sign");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        awaitText("Please correct the fields marked below.");
        assertThat(browser.findElement(By.id("email")).getAttribute("value")).isEqualTo("no-at-sign");
        assertThat(browser.findElement(By.id("email-error")).getText()).startsWith("Enter an email address");
        assertThat(browser.findElement(By.id("country-error")).getText()).isEqualTo("This field is required.");
        Browser.screenshot(browser, "08-en-form-errors");
    }

    @Test
    void deadlinesPageShowsTheSamplesInBothLanguages() throws Exception {
        var kafka = KafkaBroker.companion();
        SampleEvents.publish(kafka, "demo-upcoming-deadline.json", DEMO, LocalDate.now().plusDays(10), null);
        SampleEvents.publish(kafka, "linkedin-genai-training-2025.json", null);
        SampleEvents.publish(kafka, "meta-ai-interactions-2025.json", null);
        open("/deadlines?lang=en&country=HK");
        awaitHeading("Upcoming deadlines");
        String page = browser.getPageSource();
        assertThat(page).contains("DEMO: LinkedIn will train generative AI")
                .contains("Last day to act")
                .contains("Turn the switch Off.")
                .contains("Already in effect: opting out still stops future use");
        new WebDriverWait(browser, WAIT).until(d -> !d.findElements(By.className("countdown")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("#" + DEMO + " .countdown")).getText())
                .isEqualTo("(in 9 days)");
        Browser.screenshot(browser, "20-en-deadlines");

        open("/deadlines?lang=zh-HK&country=HK");
        awaitHeading("即將到來的限期");
        assertThat(browser.getPageSource()).contains("LinkedIn 將以你的個人檔案、帖文及履歷訓練生成式人工智能")
                .contains("最後行動日").contains("把開關關掉。");
        Browser.screenshot(browser, "21-zh-deadlines");

        browser.findElement(By.linkText("在類似限期前提醒我")).click();
        awaitHeading("在限期前收到提醒");
        assertThat(new Select(browser.findElement(By.id("country"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("HK");
        assertThat(browser.findElement(By.cssSelector("input[name=platforms][value=linkedin]")).isSelected()).isTrue();
    }

    private void open(String path) {
        browser.get(root.toString().replaceAll("/$", "") + path);
    }

    /**
     * Waits for the page with this heading; the page before it may still be there, or be going away. A heading read
     * as its page goes away is stale, or (Chromium 156) "Node with given id does not belong to the document".
     */
    private static void awaitHeading(String text) {
        new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class)
                .until(d -> {
                    try {
                        return d.findElement(By.tagName("h1")).getText().equals(text);
                    } catch (WebDriverException e) {
                        if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                            return false;
                        }
                        throw e;
                    }
                });
    }

    private static void awaitText(String text) {
        new WebDriverWait(browser, WAIT).until(d -> d.getPageSource().contains(text));
    }

    private static MimeMessage awaitMail(String email, String subjectPart) throws Exception {
        List<MimeMessage> mails = SmtpServer.awaitMessages(email, SmtpServer.subjectContains(subjectPart), 1, WAIT);
        assertThat(mails).as("mail '%s' to %s", subjectPart, email).isNotEmpty();
        return mails.get(0);
    }

    private static String linkPath(MimeMessage mail, String path) throws Exception {
        return SmtpServer.linkPath(mail, path);
    }

    private static Path awaitDownload(String name) throws InterruptedException {
        Path file = Browser.DOWNLOADS.resolve(name);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(file).exists();
        return file;
    }

    private static SubscriptionStatus statusOf(String email) {
        return QuarkusTransaction.requiringNew()
                .call(() -> Subscription.findByEmail(email).map(s -> s.status).orElse(null));
    }

    private static int sendHourOf(String email) {
        return QuarkusTransaction.requiringNew().call(() -> Subscription.findByEmail(email).orElseThrow().sendHour);
    }

    private static List<String> platformsOf(String email) {
        return QuarkusTransaction.requiringNew()
                .call(() -> List.copyOf(Subscription.findByEmail(email).orElseThrow().platforms));
    }
}
