package madoguchi.web;

import io.vertx.core.json.JsonObject;
import madoguchi.support.Browser;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin reports page in a real Chromium, as an administrator would use it: paste the token,
 * import a status file (with a bad line), read the monthly chart and table, record a shelf count
 * and read the reconciliation, ask the forecast the seed's deadline question; in Japanese and
 * English. Screenshots go to target/screenshots/.
 */
class ReportsPageTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static TestService service;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of(),
                new MutableClock(LocalDate.of(2021, 7, 14).atTime(9, 0).atZone(TOKYO).toInstant()));
        for (String site : List.of("kawasaki", "saiwai")) {
            var r = service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new JsonObject().put("id", site)
                    .put("name", new JsonObject().put("ja", site.equals("kawasaki") ? "川崎区役所" : "幸区役所")
                            .put("en", site.equals("kawasaki") ? "Kawasaki Ward Office" : "Saiwai Ward Office")).put("kind", "ward"));
            assertEquals(201, r.status(), r.body());
        }
        service.put("/api/v1/admin/sites/kawasaki/capacity", TestService.ADMIN_TOKEN, new JsonObject().put("from", "2021-07-15")
                .put("to", "2021-08-11").put("startTime", "10:00").put("endTime", "11:00").put("counters", 1).put("perCounter", 1));
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        service.close();
    }

    private static void waitFor(String script) {
        browser.waiting(Duration.ofSeconds(15)).until(d -> Boolean.TRUE.equals(browser.js("return !!(" + script + ")")));
    }

    private static String cell(String table, int row, int column) {
        return browser.driver.findElements(By.cssSelector("#" + table + " tbody tr")).get(row)
                .findElements(By.cssSelector("th, td")).get(column).getText();
    }

    /** axe-core (no serious or critical violation) and reflow at 320 px / 200 % text, then the screenshot. */
    private static void checked(String state) throws java.io.IOException {
        madoguchi.support.Axe.check(browser, state);
        madoguchi.support.Axe.checkReflow(browser, state);
        browser.screenshot(state);
    }

    @Test
    void anAdministratorImportsCountsAndReadsTheReports() throws Exception {
        // a status file: 300 cards applied February to June at Kawasaki, 120 of them issued in June, one bad line
        StringBuilder csv = new StringBuilder("noticeNumber,birthDate,phone,siteId,state,cancelReason,appliedOn,changedOn\n");
        for (int i = 0; i < 300; i++) {
            String applied = "2021-0" + (2 + i % 5) + "-10";
            String state = i < 120 ? "issued" : "ready";
            csv.append(8_800_000_000L + i).append(",1980-01-01,,kawasaki,").append(state).append(",,").append(applied)
                    .append(',').append(i < 120 ? "2021-06-20" : "2021-06-25").append('\n');
        }
        csv.append("not-a-number,1980-01-01,,kawasaki,ready,,,\n");
        Path file = Files.createTempFile("status-", ".csv");
        Files.writeString(file, csv);

        browser.driver.get(service.base() + "/admin/reports");
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "カード交付レポート"));
        assertEquals("ja", browser.js("return document.documentElement.lang"));
        browser.byId("token").sendKeys(TestService.ADMIN_TOKEN);
        browser.byId("auth-form").submit();
        assertEquals(TestService.ADMIN_TOKEN, browser.js("return sessionStorage.getItem('madoguchi.adminToken')"));
        waitFor("document.querySelector('#forecast-table tbody tr')");

        browser.byId("import-file").sendKeys(file.toAbsolutePath().toString());
        browser.byId("import-form").submit();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("import-result"), "新規 300 件"));
        WebElement result = browser.byId("import-result");
        assertTrue(result.getText().contains("不正な行 1 件"), result.getText());
        assertTrue(result.getText().contains("302 行目"), "the bad line by its number: " + result.getText());

        browser.js("document.getElementById('from').value = '2021-02'; document.getElementById('to').value = '2021-06';");
        browser.byId("monthly-form").submit();
        waitFor("document.querySelectorAll('#chart-svg rect.bar-applications').length === 5");
        assertEquals("60", browser.js("return document.querySelector('#chart-svg rect.bar-applications[data-month=\"2021-02\"]').getAttribute('data-value')"));
        assertEquals("120", browser.js("return document.querySelector('#chart-svg rect.bar-issuances[data-month=\"2021-06\"]').getAttribute('data-value')"));
        assertEquals("2021-06", cell("monthly-table", 4, 0));
        assertEquals("180", cell("monthly-table", 4, 5), "backlog: 300 applied − 120 issued");
        assertEquals("川崎区役所", cell("site-table", 0, 0));
        assertEquals("0", cell("site-table", 0, 4), "no-shows per site");
        checked("reports-ja-monthly");

        // a shelf count on 13 July at Kawasaki: 175 cards for 180 ready
        browser.driver.manage().addCookie(new Cookie("madoguchi_csrf", "csrf-test-value"));
        browser.sentRequests();
        new org.openqa.selenium.support.ui.Select(browser.byId("inv-site")).selectByValue("kawasaki");
        browser.js("document.getElementById('inv-date').value = '2021-07-13';");
        browser.byId("inv-counted").sendKeys("175");
        browser.byId("inventory-form").submit();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("inventory-state"), "差 5 件"));
        waitFor("document.querySelector('#recon-table tbody tr') && document.querySelector('#recon-table tbody tr').textContent.indexOf('川崎') >= 0");
        assertEquals("180", cell("recon-table", 0, 2));
        assertEquals("175", cell("recon-table", 0, 3));
        assertEquals("5", cell("recon-table", 0, 4));
        assertEquals("5", cell("recon-table", 0, 10), "no history explains them: unknown");
        Browser.Sent post = browser.sentRequests().stream()
                .filter(s -> s.method().equals("POST") && s.url().endsWith("/api/v1/admin/inventory")).findFirst().orElse(null);
        assertNotNull(post, "the page posted the count");
        assertEquals("Bearer " + TestService.ADMIN_TOKEN, post.header("Authorization"));
        assertEquals("csrf-test-value", post.header("X-CSRF-Token"), "the console session's CSRF cookie is echoed");

        // the seed's question: applied by 30 April, issued by 30 September?
        browser.js("document.getElementById('applied-by').value = '2021-04-30'; document.getElementById('deadline').value = '2021-09-30';");
        browser.byId("forecast-form").submit();
        waitFor("document.querySelectorAll('#forecast-table thead th').length === 10");
        assertEquals("川崎区役所", cell("forecast-table", 0, 0));
        assertEquals("180", cell("forecast-table", 0, 1), "waiting at Kawasaki");
        assertEquals("3.857", cell("forecast-table", 0, 2), "seats a day: 27 days × 4 seats / 28");
        assertEquals("108", cell("forecast-table", 0, 7), "applied February to April and not issued: 180 − 72");
        assertEquals("可", cell("forecast-table", 0, 8), "300 can be issued in the 78 days left");
        checked("reports-ja-reconciliation-forecast");

        // and from what was actually issued, as of the end of June: 120 in June's 30 days, 4 a day
        browser.js("document.getElementById('outlook-asof').value = '2021-06-30'; document.getElementById('outlook-applied').value = '2021-04-30';"
                + " document.getElementById('outlook-deadline').value = '2021-09-30';");
        browser.byId("outlook-form").submit();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("outlook-answer"), "108 件"));
        String answer = browser.byId("outlook-answer").getText();
        assertTrue(answer.contains("1日 4 件の交付で 2021-07-27 に交付し終えます（期限 2021-09-30: 間に合う）"), answer);

        browser.byId("lang").click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Card issuance reports"));
        assertEquals("en", browser.js("return document.documentElement.lang"));
        waitFor("document.querySelector('#site-table tbody th') && document.querySelector('#site-table tbody th').textContent === 'Kawasaki Ward Office'");
        checked("reports-en");
        assertEquals(List.of(), browser.consoleErrors(), "errors in the browser console");
    }
}
