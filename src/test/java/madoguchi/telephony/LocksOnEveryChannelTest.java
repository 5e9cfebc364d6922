package madoguchi.telephony;

import io.vertx.core.json.JsonObject;
import madoguchi.app.Words;
import madoguchi.support.Axe;
import madoguchi.support.Browser;
import madoguchi.support.FakeTwilioApi;
import madoguchi.support.MutableClock;
import madoguchi.support.PhoneCall;
import madoguchi.support.PhoneCall.Twiml;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same lock, the same words and the same unlock time on every channel: the resident's page in
 * a real Chromium, the phone (TwiML parsed as XML), SMS replies and the API. A locked notice number
 * and a card whose changes for the day are used up are each met on every channel that can meet
 * them; the page offers the call center's number, the phone puts the caller through to an operator.
 */
class LocksOnEveryChannelTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final LocalDate DAY = LocalDate.of(2026, 12, 10);
    private static final Instant MORNING = DAY.minusDays(3).atTime(9, 0).atZone(TOKYO).toInstant();
    private static final String CALL_CENTER = "044-200-3939";
    private static final AtomicInteger SITES = new AtomicInteger();
    private static MutableClock clock;
    private static FakeTwilioApi twilioApi;
    private static TestService service;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        clock = new MutableClock(MORNING);
        twilioApi = new FakeTwilioApi();
        service = SmsRepliesTest.start(TestDatabase.fresh(), twilioApi, clock, Map.of(
                "MADOGUCHI_VERIFY_FAILURES_PER_NOTICE_PER_HOUR", "3",
                "MADOGUCHI_BOOKING_CHANGES_PER_CARD_PER_DAY", "2",
                "MADOGUCHI_CALL_CENTER_NUMBER", CALL_CENTER));
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        browser.close();
        service.close();
        twilioApi.close();
    }

    /** What the phone says of a lock: the catalog's words with the moment spoken. */
    private static String spoken(Words words, Instant until) {
        return Words.fill(words.template(Words.Language.JA), Words.Language.JA, Spoken.dateTime(until, "ja"), null, null);
    }

    /** A caller from a number of their own. */
    private static PhoneCall caller() {
        return new PhoneCall(service.base(), SmsRepliesTest.AUTH_TOKEN, "+8190" + (10_000_000 + SITES.incrementAndGet()));
    }

    /** Japanese, the menu item, the notice number and the right birth date: what the caller hears next. */
    private static Twiml verify(PhoneCall call, long notice, String menu) {
        call.dial();
        call.press("1");
        call.press(menu);
        call.press(Long.toString(notice));
        return call.press("19800101");
    }

    private static void verifyOnThePage(long notice) {
        browser.driver.manage().deleteAllCookies();
        browser.driver.get(service.base() + "/");
        browser.until(d -> "true".equals(browser.js("return document.body.dataset.ready || ''")));
        for (String[] f : new String[][] {{"notice", Long.toString(notice)}, {"birth-year", "1980"}, {"birth-month", "1"},
                {"birth-day", "1"}}) {
            browser.byId(f[0]).sendKeys(f[1]);
        }
        browser.byId("verify-submit").click();
    }

    @Test
    void aLockedNoticeNumberIsTheSameLockWithTheSameUnlockTimeOnThePageThePhoneAndTheApi() {
        String site = SmsRepliesTest.site(service, SITES, DAY, 2);
        long notice = SmsRepliesTest.card(service, site, 7_810_000_001L, "08031000001");
        for (int i = 1; i <= 3; i++) {
            TestService.Response wrong = service.post("/api/v1/residents/verify", null,
                    new JsonObject().put("noticeNumber", Long.toString(notice)).put("birthDate", "1990-01-0" + i));
            assertEquals(401, wrong.status(), wrong.body());
        }
        Instant until = MORNING.plus(Duration.ofHours(1));

        // the API: what is locked, until when (the moment, and Retry-After), and whom to call
        TestService.Response api = service.post("/api/v1/residents/verify", null,
                new JsonObject().put("noticeNumber", Long.toString(notice)).put("birthDate", "1980-01-01"));
        assertEquals(429, api.status(), api.body());
        assertEquals("2026-12-07T10:00:00+09:00", api.json().getString("retryAt"));
        assertEquals("3600", api.header("Retry-After"));
        String written = Words.LOCKED_NOTICE.textWithNextStep(Words.Language.JA, until, CALL_CENTER);
        assertEquals(written, api.json().getString("message"));

        // the page, with the right birth date: the same words, the date and time, the call center's number
        verifyOnThePage(notice);
        WebElement alert = browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("alert")));
        browser.until(d -> !alert.getText().isBlank());
        assertEquals(written, alert.getText());
        Axe.check(browser, "locks-page-notice-locked");
        Axe.checkReflow(browser, "locks-page-notice-locked");
        assertTrue(alert.getText().contains("12月7日(月) 10:00") && alert.getText().contains(CALL_CENTER), alert.getText());

        // the phone, from another number, with the right birth date: this notice number is locked
        // (not "this phone"), until the same moment spoken, and the caller is offered an operator (0)
        Twiml heard = verify(caller(), notice, "2");
        assertTrue(heard.text().contains(spoken(Words.LOCKED_NOTICE, until)), heard.xml);
        assertTrue(heard.text().contains("12月7日 月曜日 午前10時"), heard.xml);
        assertTrue(heard.text().contains("オペレーターとお話しになる場合は、0を押してください。"), "offered an operator: " + heard.xml);
        assertTrue(heard.has("Gather"), heard.xml);
        assertFalse(heard.has("Hangup"), heard.xml);

        // the console: the operator the resident calls reads the same lock with the same moment
        String operator = "lock-desk-" + SITES.incrementAndGet();
        assertEquals(201, service.post("/api/v1/admin/users", TestService.ADMIN_TOKEN, new JsonObject().put("name", operator)
                .put("role", "operator").put("password", "Kawasaki-counter-2026!")).status());
        browser.driver.manage().deleteAllCookies();
        browser.driver.get(service.base() + "/console");
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-name"))).sendKeys(operator);
        browser.byId("login-password").sendKeys("Kawasaki-counter-2026!");
        browser.byId("login-submit").click();
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));
        new org.openqa.selenium.support.ui.Select(browser.byId("find-by")).selectByValue("noticeNumber");
        browser.byId("find-value").sendKeys(Long.toString(notice));
        browser.byId("find-submit").click();
        WebElement lock = browser.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#find-result .card-lock")));
        assertEquals("notice", lock.getAttribute("data-what"));
        assertEquals(Words.LOCKED_NOTICE.text(Words.Language.JA, until, null), lock.getText());
        Axe.check(browser, "locks-console-card-locked");
        Axe.checkReflow(browser, "locks-console-card-locked");

        // the lock ends when it said
        clock.set(until);
        TestService.Response after = service.post("/api/v1/residents/verify", null,
                new JsonObject().put("noticeNumber", Long.toString(notice)).put("birthDate", "1980-01-01"));
        assertEquals(200, after.status(), after.body());
        clock.set(MORNING);
    }

    @Test
    void aCardWhoseChangesAreUsedUpIsToldTheSameOnThePageThePhoneAndBySms() throws Exception {
        String site = SmsRepliesTest.site(service, SITES, DAY, 1);
        for (LocalDate later : new LocalDate[] {DAY.plusDays(1), DAY.plusDays(2)}) {
            assertEquals(200, service.put("/api/v1/admin/sites/" + site + "/capacity", TestService.ADMIN_TOKEN, new JsonObject()
                    .put("from", later.toString()).put("to", later.toString()).put("startTime", "10:00").put("endTime", "10:15")
                    .put("counters", 1).put("perCounter", 2)).status());
        }
        long notice = SmsRepliesTest.card(service, site, 7_820_000_001L, "08032000001");
        long holder = SmsRepliesTest.card(service, site, 7_820_000_002L, "08032000002");
        String heldCode = SmsRepliesTest.book(service, site, DAY, holder);
        String token = service.verify(notice);
        TestService.Response booked = service.post("/api/v1/bookings", token,
                new JsonObject().put("slotId", SmsRepliesTest.slotId(service, site, DAY.plusDays(1))));
        assertEquals(201, booked.status(), booked.body());
        String code = booked.json().getString("code");
        assertEquals(200, service.post("/api/v1/bookings/" + code + "/reschedule", token,
                new JsonObject().put("slotId", SmsRepliesTest.slotId(service, site, DAY.plusDays(2)))).status());
        Instant until = MORNING.plus(Duration.ofDays(1));
        String written = Words.TOO_MANY_CHANGES.textWithNextStep(Words.Language.JA, until, CALL_CENTER);

        // the page: manage the booking, choose another day, and read until when (and whom to call)
        browser.driver.manage().deleteAllCookies();
        browser.driver.get(service.base() + "/");
        browser.until(d -> "true".equals(browser.js("return document.body.dataset.ready || ''")));
        browser.byId("to-manage").click();
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("view-manage")));
        browser.byId("code").sendKeys(code);
        for (String[] f : new String[][] {{"m-notice", Long.toString(notice)}, {"m-birth-year", "1980"}, {"m-birth-month", "1"},
                {"m-birth-day", "1"}}) {
            browser.byId(f[0]).sendKeys(f[1]);
        }
        browser.byId("manage-submit").click();
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("view-booking")));
        browser.byId("reschedule").click();
        browser.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#calendar button.day[data-day='" + DAY.plusDays(1) + "']"))).click();
        browser.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#slot-list button.slot"))).click();
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("view-confirm")));
        browser.byId("book").click();
        WebElement error = browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-error")));
        browser.until(d -> !error.getText().isBlank());
        assertEquals(written, error.getText());
        Axe.check(browser, "locks-page-changes-used-up");
        Axe.checkReflow(browser, "locks-page-changes-used-up");
        assertTrue(error.getText().contains("12月8日(火) 09:00"), error.getText());

        // the phone: the same limit, said with its moment, and an operator (who may move it)
        PhoneCall call = caller();
        Twiml read = verify(call, notice, "2");
        assertTrue(read.text().contains("変更"), "the booking is read with its choices: " + read.xml);
        call.press("3");
        Twiml limited = call.press("1");
        assertTrue(limited.text().contains(spoken(Words.TOO_MANY_CHANGES, until)), limited.xml);
        assertTrue(limited.has("Enqueue"), limited.xml);

        // SMS: an earlier seat offered from the waitlist and taken by "はい" is a change too
        assertEquals(201, service.post("/api/v1/waitlist", token, new JsonObject().put("from", DAY.toString())
                .put("to", DAY.toString())).status());
        assertEquals(200, service.delete("/api/v1/operator/bookings/" + heldCode, TestService.ADMIN_TOKEN).status());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!"offered".equals(service.get("/api/v1/waitlist", token).json().getString("state"))) {
            assertTrue(System.nanoTime() < deadline, "the freed seat was not offered");
            Thread.sleep(50);
        }
        String reply = SmsRepliesTest.message(SmsRepliesTest.text(service, "+818032000001", "はい", SmsRepliesTest.AUTH_TOKEN));
        assertEquals(written, reply);

        // the operator's search shows the same limit, in the operator's language
        JsonObject card = service.get("/api/v1/operator/bookings?noticeNumber=" + notice, TestService.ADMIN_TOKEN).array()
                .getJsonObject(0).getJsonObject("card");
        JsonObject lock = card.getJsonArray("locks").getJsonObject(0);
        assertEquals("changes", lock.getString("what"));
        assertEquals("2026-12-08T09:00:00+09:00", lock.getString("until"));
        assertEquals(Words.TOO_MANY_CHANGES.text(Words.Language.JA, until, null), lock.getString("message"));
        assertEquals(DAY.plusDays(2) + "T10:00:00+09:00", service.get("/api/v1/bookings/" + code, token).json().getString("start"),
                "the booking did not move");
    }
}
