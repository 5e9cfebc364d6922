package madoguchi.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.support.Browser;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outlook's what-if on the admin reports page in a real Chromium: as of 30 June 2021, Kita
 * (open weekdays 09:00-12:00 in July, one resident a quarter hour a counter: 8.57 a calendar day)
 * issued 2 a day in June and 300 applied by 30 April wait; Minami (no hours) has 50. The page
 * first says how many counters the deadline of 28 July takes, then an administrator fills the
 * what-if (2 counters and 2 Saturdays at Kita, a walk-in site) and reads that it is met.
 */
class OutlookWhatIfPageTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static TestService service;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of(),
                new MutableClock(LocalDate.of(2021, 7, 1).atTime(9, 0).atZone(TOKYO).toInstant()));
        for (String[] site : List.of(new String[] {"kita", "北区役所", "Kita Ward Office"}, new String[] {"minami", "南区役所", "Minami Ward Office"})) {
            var r = service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new JsonObject().put("id", site[0])
                    .put("name", new JsonObject().put("ja", site[1]).put("en", site[2])).put("kind", "ward"));
            assertEquals(201, r.status(), r.body());
        }
        var cap = service.put("/api/v1/admin/sites/kita/capacity", TestService.ADMIN_TOKEN, new JsonObject()
                .put("from", "2021-07-01").put("to", "2021-07-28").put("weekdays", new JsonArray(List.of(1, 2, 3, 4, 5)))
                .put("startTime", "09:00").put("endTime", "12:00").put("counters", 2).put("perCounter", 1));
        assertEquals(200, cap.status(), cap.body());
        StringBuilder csv = new StringBuilder("noticeNumber,birthDate,phone,siteId,state,cancelReason,appliedOn,changedOn\n");
        for (int i = 0; i < 300; i++) {
            csv.append(7_400_000_000L + i).append(",1980-01-01,,kita,ready,,2021-04-10,2021-04-20\n");
        }
        for (int i = 0; i < 60; i++) {
            csv.append(7_500_000_000L + i).append(",1980-01-01,,kita,issued,,2021-03-10,2021-06-15\n");
        }
        for (int i = 0; i < 50; i++) {
            csv.append(7_600_000_000L + i).append(",1980-01-01,,minami,ready,,2021-04-20,2021-04-25\n");
        }
        var imported = service.post("/api/v1/admin/cards/import", TestService.ADMIN_TOKEN, csv.toString());
        assertEquals(410, imported.json().getInteger("imported"), imported.body());
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        service.close();
    }

    private static String text(String id) {
        return browser.byId(id).getText();
    }

    /** axe-core (no serious or critical violation) and reflow at 320 px / 200 % text, then the screenshot. */
    private static void checked(String state) throws java.io.IOException {
        madoguchi.support.Axe.check(browser, state);
        madoguchi.support.Axe.checkReflow(browser, state);
        browser.screenshot(state);
    }

    @Test
    void anAdministratorAsksWhatMoreCountersSaturdaysAndAWalkInSiteWouldDo() throws Exception {
        browser.driver.get(service.base() + "/admin/reports?lang=ja");
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "カード交付レポート"));
        browser.byId("token").sendKeys(TestService.ADMIN_TOKEN);
        browser.byId("auth-form").submit();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#whatif-counter-site"), "北区役所"));

        browser.js("document.getElementById('outlook-asof').value = '2021-06-30'; document.getElementById('outlook-applied').value = '2021-04-30';"
                + " document.getElementById('outlook-deadline').value = '2021-07-28';");
        browser.byId("outlook-form").submit();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("outlook-counters"), "窓口をあと"));
        assertTrue(text("outlook-answer").contains("2021-04-30までに申請した 350 件は、1日 2 件の交付で 2021-12-22 に交付し終えます（期限 2021-07-28: 間に合わない）"),
                "350 / 2 a day = 175 days: " + text("outlook-answer"));
        assertEquals("期限に間に合わせるには、窓口をあと 2 つ増やす必要があります（北区役所 2 つ）。 開庁時間の設定がないため数えていない会場: 南区役所。",
                text("outlook-counters"), "Kita: 11 a day needed − 2 = 9 short, 9 / 8.57 → 2 counters");
        assertEquals("", text("outlook-whatif"));

        new Select(browser.byId("whatif-counter-site")).selectByValue("kita");
        browser.byId("whatif-counters").sendKeys("2");
        new Select(browser.byId("whatif-sat-site")).selectByValue("kita");
        browser.byId("whatif-saturdays").sendKeys("2");
        browser.byId("whatif-sat-hours").sendKeys("3");
        browser.byId("whatif-sat-counters").sendKeys("2");
        browser.byId("whatif-walkin-tickets").sendKeys("70");
        browser.byId("whatif-walkin-days").sendKeys("5");
        browser.byId("outlook-form").submit();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("outlook-answer"), "間に合う）"));
        assertTrue(text("outlook-answer").contains("1日 70.7 件の交付で 2021-07-05 に交付し終えます（期限 2021-07-28: 間に合う）"),
                "2 + 17.1 + 1.6 + 50 a day; 350 / 70.7 → 5 days: " + text("outlook-answer"));
        assertEquals("開庁時間のある会場では窓口の増設は要りません。 開庁時間の設定がないため数えていない会場: 南区役所。", text("outlook-counters"));
        assertEquals("試算の上乗せは1日 68.7 件です（北区役所の窓口増設 17.1 件、北区役所の土曜開庁 1.6 件、予約不要会場 50 件）。", text("outlook-whatif"));
        List<String> kita = browser.driver.findElements(By.cssSelector("#outlook-table tbody tr")).get(0)
                .findElements(By.cssSelector("th, td")).stream().map(e -> e.getText()).toList();
        assertEquals("北区役所", kita.get(0));
        assertEquals("20.7", kita.get(3), "2 observed + 18.7 of the what-if");
        assertEquals("8.6", kita.get(9), "one counter a calendar day: 12 × 5 / 7");
        assertEquals("0", kita.get(10), "no more counters needed at Kita");
        browser.js("document.getElementById('outlook').scrollIntoView()");
        checked("reports-ja-outlook-whatif");

        browser.byId("lang").click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("outlook-whatif"), "The what-if adds"));
        assertEquals("The what-if adds 68.7 a day (counters at Kita Ward Office: 17.1, Saturdays at Kita Ward Office: 1.6, walk-in site: 50).",
                text("outlook-whatif"), "the form is kept across the language switch");
        assertTrue(text("outlook-answer").contains("all issued on 2021-07-05 at 70.7 a day (deadline 2021-07-28: met)"), text("outlook-answer"));
        browser.js("document.getElementById('outlook').scrollIntoView()");
        checked("reports-en-outlook-whatif");
        assertEquals(List.of(), browser.consoleErrors(), "errors in the browser console");
    }
}
