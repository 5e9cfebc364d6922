package madoguchi.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.Application;
import madoguchi.store.DemoData;
import madoguchi.support.Browser;
import madoguchi.support.FakeTwilioApi;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import madoguchi.telephony.SmsRepliesTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole counter day in a real Chromium, at the demo's card center and its walk-in site at KSP: the day list of a site, a resident checked in and
 * taken through the issuing steps, a proxy pick-up shown on the list, and at the walk-in site a
 * ticket given at the door (with an SMS to a local fake of Twilio), called from the console and
 * seen on the call-up board in another tab (pushed to it, the page never polls), then issued.
 * Screenshots go to target/screenshots/counter-*.png.
 */
class CounterDayPageTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final LocalDate DAY = LocalDate.of(2027, 3, 8);
    private static final String OP = TestService.ADMIN_TOKEN;
    private static final long BOOKED = DemoData.FIRST_NOTICE + 10;
    private static final long WALKING = DemoData.FIRST_WALK_IN_NOTICE;
    private static MutableClock clock;
    private static FakeTwilioApi twilio;
    private static TestService service;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        // the demo: the card center (open Mondays 12:00-20:00) and the walk-in site at KSP (every day 10:00-18:00)
        clock = new MutableClock(DAY.minusDays(2).atTime(9, 0).atZone(TOKYO).toInstant());
        twilio = new FakeTwilioApi();
        service = SmsRepliesTest.start(TestDatabase.fresh(), twilio, clock, Map.of("MADOGUCHI_DEMO", "true"));
        long slot = service.get("/api/v1/sites/center/availability?channel=web&from=" + DAY + "&to=" + DAY, null)
                .array().getJsonObject(0).getLong("slotId");
        for (long card = BOOKED; card <= BOOKED + 1; card++) {
            var r = service.post("/api/v1/bookings", resident(card), new JsonObject().put("slotId", slot));
            assertEquals(201, r.status(), r.body());
        }
        assertEquals(200, service.put("/api/v1/operator/cards/" + (BOOKED + 1) + "/needs", OP, new JsonObject().put("proxy", true)
                .put("hearingLoop", true).put("wheelchair", false).put("signLanguage", false)).status());
        clock.set(DAY.atTime(12, 5).atZone(TOKYO).toInstant());
        browser = Browser.start("en-US,en");
    }

    /** A demo resident's token: notice number and the birth date the demo gave the card. */
    private static String resident(long card) {
        var r = service.post("/api/v1/residents/verify", null, new JsonObject().put("noticeNumber", Long.toString(card))
                .put("birthDate", DemoData.birthDate((int) (card - DemoData.FIRST_NOTICE)).toString()));
        assertEquals(200, r.status(), r.body());
        return r.json().getString("token");
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        service.close();
        twilio.close();
    }

    private void click(String css) {
        browser.until(d -> {
            try {
                d.findElement(By.cssSelector(css)).click();
                return true;
            } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.ElementClickInterceptedException
                     | org.openqa.selenium.NoSuchElementException e) {
                return false;
            }
        });
    }

    private String state(long card) {
        return (String) browser.js("var r = document.querySelector('tr[data-notice=\"' + arguments[0] + '\"]');"
                + " return r ? r.getAttribute('data-state') : null;", Long.toString(card));
    }

    private void stepThrough(long card, String step) {
        click("button.step[data-notice='" + card + "']");
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("step-submit")));
        switch (step) {
            case "identity_checked" -> {
                click("#id-notice");
                browser.js("document.getElementById('id-a').value = 'driver_license';");
            }
            case "returned" -> click("input.returned[value='notification_card']");
            default -> { }
        }
        click("#step-submit");
        browser.until(d -> step.equals(state(card)));
    }

    /** axe-core (no serious or critical violation) and reflow at 320 px / 200 % text, then the screenshot. */
    private static void checked(String state) throws java.io.IOException {
        madoguchi.support.Axe.check(browser, state);
        madoguchi.support.Axe.checkReflow(browser, state);
        browser.screenshot(state);
    }

    @Test
    void aCounterDayFromTheListToTheBoard() throws Exception {
        String console = browser.driver.getWindowHandle();
        browser.driver.get(service.base() + "/console/counter?lang=en&site=center&date=" + DAY);
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-name"))).sendKeys("demo-operator");
        browser.byId("login-password").sendKeys(Application.DEMO_OPERATOR_PASSWORD);
        browser.byId("login-submit").click();

        // the day list: both bookings, the proxy and the hearing loop shown with the second
        browser.until(d -> state(BOOKED) != null && state(BOOKED + 1) != null);
        assertEquals("active", state(BOOKED));
        String needs = (String) browser.js("return document.querySelector('tr[data-notice=\"" + (BOOKED + 1) + "\"] .needs').textContent;");
        assertTrue(needs.contains("a proxy comes") && needs.contains("hearing loop"), needs);
        checked("counter-day-list");

        // check-in and every issuing step, as the counter takes them
        for (String step : new String[] {"arrived", "identity_checked", "pins", "returned", "issued"}) {
            stepThrough(BOOKED, step);
        }
        checked("counter-issued");
        var card = service.get("/api/v1/operator/bookings?noticeNumber=" + BOOKED, OP).array().getJsonObject(0);
        assertEquals("issued", card.getJsonObject("card").getString("state"));

        // the proxy pick-up: the identity step takes the proxy's documents
        stepThrough(BOOKED + 1, "arrived");
        click("button.step[data-notice='" + (BOOKED + 1) + "']");
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("step-submit")));
        click("#id-notice");
        browser.js("document.getElementById('id-a').value = 'passport';");
        click("#id-proxy");
        for (String doc : new String[] {"letter_of_attorney", "reason_document", "proxy_photo_id"}) {
            click("input.proxy-doc[value='" + doc + "']");
        }
        click("#step-submit");
        browser.until(d -> "identity_checked".equals(state(BOOKED + 1)));
        for (String step : new String[] {"pins", "returned", "issued"}) {
            stepThrough(BOOKED + 1, step);
        }
        JsonObject proxyVisit = service.get("/api/v1/operator/sites/center/day?date=" + DAY, OP).json().getJsonArray("lines").stream()
                .map(o -> (JsonObject) o).filter(l -> l.getString("noticeNumber").equals(Long.toString(BOOKED + 1))).findFirst()
                .orElseThrow().getJsonObject("visit");
        assertEquals(true, proxyVisit.getBoolean("byProxy"), "handed to the proxy: " + proxyVisit.encode());

        // the walk-in site: the board in another tab, a ticket at the door, a call from the console
        browser.driver.switchTo().newWindow(WindowType.TAB);
        String board = browser.driver.getWindowHandle();
        browser.driver.get(service.base() + "/board/" + DemoData.WALK_IN_SITE);
        browser.until(d -> "KSP walk-in counter (no booking)".equals(browser.js("return document.getElementById('site-en').textContent;")));
        browser.driver.switchTo().window(console);
        browser.js("var e = document.getElementById('day-site'); e.value = arguments[0];", DemoData.WALK_IN_SITE);
        click("#day-show");
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("ticket-notice"))).sendKeys(Long.toString(WALKING));
        browser.byId("ticket-phone").sendKeys("090-1111-2222");
        click("#ticket-take");
        browser.until(d -> d.findElement(By.id("ticket-result")).getText().contains("Ticket 1"));
        browser.until(d -> "waiting".equals(state(WALKING)));
        click("#call-next");
        browser.until(d -> d.findElement(By.id("call-result")).getText().contains("Ticket 1 called to counter 1"));

        browser.driver.switchTo().window(board);
        browser.until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "return !!document.querySelector('#called li[data-number=\"1\"]');"));
        // how fast is measured in BENCHMARKS.md (the walk-in load run), not asserted here
        assertTrue(browser.driver.findElement(By.cssSelector("#called li[data-number='1']")).getText().contains("Counter 1"));
        checked("counter-board");
        var sms = twilio.awaitSentTo("+819011112222");
        assertTrue(sms.form().get("Body").contains("1番窓口"), sms.form().toString());

        browser.driver.switchTo().window(console);
        browser.until(d -> "called".equals(state(WALKING)));
        for (String step : new String[] {"arrived", "identity_checked", "pins", "returned", "issued"}) {
            stepThrough(WALKING, step);
        }
        JsonArray lines = service.get("/api/v1/operator/sites/" + DemoData.WALK_IN_SITE + "/day?date=" + DAY, OP).json().getJsonArray("lines");
        assertEquals("served", lines.getJsonObject(0).getString("status"));
        assertEquals(java.util.List.of(), browser.consoleErrors(), "no script errors");
    }
}
