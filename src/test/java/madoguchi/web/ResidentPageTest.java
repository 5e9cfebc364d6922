package madoguchi.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.Config;
import madoguchi.store.DemoData;
import madoguchi.support.Axe;
import madoguchi.support.Browser;
import madoguchi.support.TcpProxy;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The resident page in a real Chromium against the whole service on the demo data: the journey
 * in Japanese (by keyboard alone, on a phone-sized screen) and in English, a wrong birth date, a
 * slot taken meanwhile, a database outage waited out, a double click, and the waitlist (asking for
 * an earlier date, the held seat shown and taken, an offer no longer held). Every step is checked
 * for the basics of accessibility in the page itself, and screenshots go to target/screenshots/.
 */
class ResidentPageTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final String TEST_SITE = "webtest";
    private static final long TEST_CARDS = 3_100_000_001L;
    private static final LocalDate TEST_BIRTH = LocalDate.of(1980, 1, 1);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static TcpProxy proxy;
    // texts (waitlist offers) go only in the daytime: the service and the browser live at 11:00 Tokyo today
    private static final madoguchi.support.DaytimeClock daytime = madoguchi.support.DaytimeClock.today();
    private static TestService service;
    private static Browser browser;
    private static String a11yCheck;
    private static LocalDate testDay;
    private String testName;
    private int shots;
    private int checks;

    @BeforeAll
    static void start() throws Exception {
        var db = TestDatabase.fresh();
        proxy = new TcpProxy(db.host(), db.port());
        var throughProxy = new Config.DatabaseUrl("127.0.0.1", proxy.port(), db.database(), db.user(), db.password());
        // every verification here comes from 127.0.0.1: lift the per-address limit meant for the public
        service = TestService.start(throughProxy, Map.of("MADOGUCHI_DEMO", "true",
                "MADOGUCHI_VERIFY_PER_ADDRESS_PER_MINUTE", "1000"), daytime);
        // a small site of our own: four one-seat slots, 10:00-11:00, three days from now
        testDay = LocalDate.now(TOKYO).plusDays(3);
        assertEquals(201, service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new JsonObject().put("id", TEST_SITE)
                .put("name", new JsonObject().put("ja", "テスト会場").put("en", "Test Hall")).put("kind", "popup")
                .put("address", new JsonObject().put("ja", "川崎市中原区テスト1-1").put("en", "1-1 Test, Nakahara-ku, Kawasaki"))).status());
        assertEquals(200, service.put("/api/v1/admin/sites/" + TEST_SITE + "/capacity", TestService.ADMIN_TOKEN, new JsonObject()
                .put("from", testDay.toString()).put("to", testDay.toString()).put("startTime", "10:00").put("endTime", "11:00")
                .put("counters", 1).put("perCounter", 1)).status());
        service.importCards(TEST_SITE, TEST_CARDS, 3);
        try (InputStream in = ResidentPageTest.class.getResourceAsStream("/web/a11y-check.js")) {
            a11yCheck = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        browser = Browser.start();
        browser.showTime(daytime.offset());
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (service != null) {
            service.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @BeforeEach
    void fresh(TestInfo info) throws IOException {
        testName = info.getTestMethod().orElseThrow().getName();
        shots = 0;
        checks = 0;
        proxy.resume();
        browser.driver.manage().window().setSize(new Dimension(1280, 1000));
        browser.driver.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", ""));
        browser.driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of()));
        browser.sentRequests();
        browser.consoleErrors();
    }

    @AfterEach
    void noScriptErrors() {
        assertEquals(List.of(), browser.consoleErrors(), "errors in the browser console");
    }

    // ------------------------------------------------------------------ journeys

    @Test
    void japaneseJourneyByKeyboardOnAPhone() throws Exception {
        browser.driver.manage().window().setSize(new Dimension(390, 844));
        int card = 0;
        open("");
        checkPage("ja");
        assertEquals("マイナンバーカード 受け取り予約", byId("page-title").getText());

        // verify: Tab to each field, type, Enter submits
        tabTo("#notice").sendKeys(notice(card));
        LocalDate birth = DemoData.birthDate(card);
        tabTo("#birth-year").sendKeys(Integer.toString(birth.getYear()));
        tabTo("#birth-month").sendKeys(Integer.toString(birth.getMonthValue()));
        tabTo("#birth-day").sendKeys(birth.getDayOfMonth() + "" + Keys.ENTER);
        shown("view-calendar");
        assertFocused("#calendar-heading");
        assertEquals("受け取る日を選ぶ", byId("calendar-heading").getText());
        assertTrue(byId("calendar-site").getText().contains("マイナンバーカードセンター"));
        assertTrue(byId("calendar-site").getText().contains("川崎市高津区坂戸3丁目2番1号"));
        browser.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#calendar button.day")));
        checkPage("ja");
        assertFitsTheScreen();
        screenshot("calendar");

        // a day, then a time, by keyboard
        WebElement day = tabTo("#calendar button.day");
        String chosenDay = day.getAttribute("data-day");
        // a screen reader hears the date and the availability in words, with the count; the eye sees the day and a mark
        String dayName = day.getAccessibleName().replaceAll("\\s+", " ");
        assertTrue(dayName.matches("\\d{1,2}月 ?\\d{1,2} ?日\\([日月火水木金土]\\) ?(余裕あり|空きあり|残りわずか) ?\\(空き\\d+席\\)"), dayName);
        assertTrue(day.findElement(By.className("dnum")).getText().matches("\\d{1,2}"));
        assertTrue(day.findElement(By.className("mark")).getText().matches("[◎○△]"), "a mark instead of a raw count");
        assertEquals("true", day.findElement(By.className("mark")).getAttribute("aria-hidden"), "the words, not the mark, are read");
        press(Keys.ENTER);
        shown("slots");
        assertFocused("#slots-heading");
        WebElement slot = tabTo("#slot-list button.slot");
        long slotId = Long.parseLong(slot.getAttribute("data-slot-id"));
        assertTrue(slot.findElement(By.className("when")).getText().matches("\\d{2}:\\d{2}"));
        assertTrue(slot.findElement(By.className("mark")).getText().matches("[◎○△]"));
        String slotName = slot.getAccessibleName().replaceAll("\\s+", " ");
        assertTrue(slotName.matches("\\d{2}:\\d{2} ?〜\\d{2}:\\d{2} ?(余裕あり|空きあり|残りわずか) ?\\(残り\\d+席\\)"), slotName);
        checkPage("ja");
        screenshot("times");
        press(Keys.ENTER);

        shown("view-confirm");
        assertFocused("#confirm-heading");
        JsonObject chosen = slotOf("center", LocalDate.parse(chosenDay), slotId);
        String when = japanese(chosen.getString("start"));
        assertTrue(byId("confirm-details").getText().contains(when), byId("confirm-details").getText() + " / " + when);
        checkPage("ja");
        screenshot("confirm");
        tabTo("#book");
        press(Keys.ENTER);

        shown("view-done");
        assertFocused("#done-heading");
        assertEquals("予約が完了しました", byId("done-heading").getText());
        String code = byId("done-code").getText().replace(" ", "");
        assertTrue(code.matches("\\d{10}"), code);
        String done = byId("view-done").getText();
        for (String thing : List.of("交付通知書", "本人確認書類", "通知カード(お持ちの方のみ)", "住民基本台帳カード(お持ちの方のみ)",
                "川崎市高津区坂戸3丁目2番1号", "マイナンバーカードセンター", when)) {
            assertTrue(done.contains(thing), "the confirmation says " + thing + ": " + done);
        }
        checkPage("ja");
        assertFitsTheScreen();
        screenshot("booked");
        String token = token(card);
        JsonObject booking = service.get("/api/v1/bookings/" + code, token).json();
        assertEquals(slotId, booking.getLong("slotId"));
        assertEquals("active", booking.getString("status"));

        // reschedule to another day
        tabTo("#done-manage");
        press(Keys.ENTER);
        shown("view-booking");
        assertTrue(byId("booking-details").getText().contains(when));
        tabTo("#reschedule");
        press(Keys.ENTER);
        shown("view-calendar");
        assertEquals("新しい日を選ぶ", byId("calendar-heading").getText());
        browser.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#calendar button.day")));
        tabTo("#calendar button.day:not([data-day='" + chosenDay + "'])");
        String newDay = ((String) browser.js("return document.activeElement.dataset.day"));
        press(Keys.ENTER);
        shown("slots");
        long newSlotId = Long.parseLong(tabTo("#slot-list button.slot").getAttribute("data-slot-id"));
        press(Keys.ENTER);
        shown("view-confirm");
        String newWhen = japanese(slotOf("center", LocalDate.parse(newDay), newSlotId).getString("start"));
        String confirm = byId("confirm-details").getText();
        assertTrue(confirm.contains("変更前の日時") && confirm.contains(when) && confirm.contains(newWhen), confirm);
        assertEquals("この日時に変更する", byId("book").getText());
        checkPage("ja");
        screenshot("reschedule-confirm");
        tabTo("#book");
        press(Keys.ENTER);
        shown("view-done");
        assertEquals("予約の日時を変更しました", byId("done-heading").getText());
        assertEquals(code, byId("done-code").getText().replace(" ", ""), "a reschedule keeps the booking code");
        assertTrue(byId("done-details").getText().contains(newWhen));
        screenshot("rescheduled");
        booking = service.get("/api/v1/bookings/" + code, token).json();
        assertEquals(newSlotId, booking.getLong("slotId"));

        // cancel, after saying yes
        tabTo("#done-manage");
        press(Keys.ENTER);
        shown("view-booking");
        tabTo("#cancel");
        press(Keys.ENTER);
        shown("cancel-ask");
        assertFocused("#cancel-ask-text");
        checkPage("ja");
        tabTo("#cancel-yes");
        press(Keys.ENTER);
        shown("booking-message");
        assertEquals("予約を取り消しました。", byId("booking-message").getText());
        assertTrue(byId("booking-details").getText().contains("取り消し済み"));
        assertFalse(byId("reschedule").isDisplayed());
        checkPage("ja");
        screenshot("cancelled");
        assertEquals("cancelled", service.get("/api/v1/bookings/" + code, token).json().getString("status"));
    }

    @Test
    void englishJourneyWithTheSwitchShowsTokyoTimes() throws Exception {
        // the browser's clock is in California; times must still be Tokyo's
        browser.driver.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", "America/Los_Angeles"));
        int card = 1;
        open("");
        assertEquals("English", byId("lang-switch").getText());
        assertEquals("en", byId("lang-switch").getAttribute("lang"));
        byId("lang-switch").click();
        browser.until(d -> "en".equals(browser.js("return document.documentElement.lang")));
        assertEquals("日本語", byId("lang-switch").getText());
        assertEquals("ja", byId("lang-switch").getAttribute("lang"));
        assertEquals("Book a time to pick up your My Number card", byId("page-title").getText());
        assertEquals("Notice number", browser.driver.findElement(By.cssSelector("label[for=notice]")).getText());
        checkPage("en");
        screenshot("start");
        // the demo's walk-in site is named with its hours, for residents whose card is kept there
        browser.until(d -> byId("walk-in-note").isDisplayed());
        assertTrue(byId("walk-in-note").getText().startsWith("A walk-in counter needs no booking: KSP walk-in counter (no booking)"),
                byId("walk-in-note").getText());

        fillVerify("", notice(card), DemoData.birthDate(card));
        byId("verify-submit").click();
        shown("view-calendar");
        assertEquals("Choose a day", byId("calendar-heading").getText());
        assertTrue(byId("calendar-site").getText().contains("My Number Card Center"));
        assertTrue(byId("calendar-site").getText().contains("KSP West, 3-2-1 Sakado, Takatsu-ku, Kawasaki"));
        WebElement day = browser.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#calendar button.day")));
        String dayName = day.getAccessibleName().replaceAll("\\s+", " ");
        assertTrue(dayName.matches("(Sun|Mon|Tue|Wed|Thu|Fri|Sat), [A-Z][a-z]{2} ?\\d{1,2} ?: (plenty of seats|seats free|few seats left) ?\\(\\d+ seats free\\)"),
                dayName);
        String chosenDay = day.getAttribute("data-day");
        day.click();
        List<WebElement> slots = browser.until(ExpectedConditions.visibilityOfAllElementsLocatedBy(By.cssSelector("#slot-list button.slot")));
        WebElement slot = slots.get(Math.min(2, slots.size() - 1));
        long slotId = Long.parseLong(slot.getAttribute("data-slot-id"));
        String slotName = slot.getAccessibleName().replaceAll("\\s+", " ");
        assertTrue(slotName.matches("\\d{1,2}:\\d{2} [AP]M ?– \\d{1,2}:\\d{2} [AP]M ?: (plenty of seats|seats free|few seats left) ?\\(\\d+ seats left\\)"),
                slotName);
        checkPage("en");
        screenshot("calendar");
        slot.click();
        shown("view-confirm");
        String when = english(slotOf("center", LocalDate.parse(chosenDay), slotId).getString("start"));
        assertTrue(byId("confirm-details").getText().contains(when), byId("confirm-details").getText() + " / " + when);
        assertEquals("Book this time", byId("book").getText());
        byId("book").click();

        shown("view-done");
        assertEquals("Your booking is confirmed", byId("done-heading").getText());
        String code = byId("done-code").getText().replace(" ", "");
        String done = byId("view-done").getText();
        for (String thing : List.of("What to bring", "The notice postcard saying your card is ready (交付通知書)",
                "Proof of identity", "notification card (通知カード), if you have one",
                "Basic Resident Register card (住民基本台帳カード), if you have one",
                "KSP West, 3-2-1 Sakado", when)) {
            assertTrue(done.contains(thing), "the confirmation says " + thing + ": " + done);
        }
        checkPage("en");
        screenshot("booked");
        // the resident tells the counter what to prepare: a wheelchair, and a proxy will come
        browser.until(d -> byId("needs").isDisplayed());
        byId("needs-wheelchair").click();
        byId("needs-proxy").click();
        byId("needs-save").click();
        browser.until(d -> byId("needs-status").getText().equals("The counter has been told."));
        JsonObject needs = service.get("/api/v1/operator/cards/" + notice(card) + "/needs", TestService.ADMIN_TOKEN).json();
        assertEquals(true, needs.getBoolean("wheelchair"));
        assertEquals(true, needs.getBoolean("proxy"));
        String token = token(card);
        assertEquals(slotId, service.get("/api/v1/bookings/" + code, token).json().getLong("slotId"));

        // later: a fresh visit remembers English, and the booking is managed by its code
        browser.driver.get(service.base() + "/");
        ready();
        assertEquals("en", browser.js("return document.documentElement.lang"));
        byId("to-manage").click();
        shown("view-manage");
        byId("code").sendKeys(code.substring(0, 5) + "-" + code.substring(5));
        fillVerify("m-", notice(card), DemoData.birthDate(card));
        checkPage("en");
        byId("manage-submit").click();
        shown("view-booking");
        assertEquals("Your booking", byId("booking-heading").getText());
        assertTrue(byId("booking-details").getText().contains("Booked"));
        assertTrue(byId("booking-details").getText().contains(when));
        browser.until(d -> byId("needs").isDisplayed() && byId("needs-wheelchair").isSelected());
        checkPage("en");
        screenshot("manage");

        byId("reschedule").click();
        shown("view-calendar");
        assertEquals("Choose a new day", byId("calendar-heading").getText());
        WebElement other = browser.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#calendar button.day:not([data-day='" + chosenDay + "'])")));
        String newDay = other.getAttribute("data-day");
        other.click();
        WebElement newSlot = browser.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#slot-list button.slot")));
        long newSlotId = Long.parseLong(newSlot.getAttribute("data-slot-id"));
        newSlot.click();
        shown("view-confirm");
        String newWhen = english(slotOf("center", LocalDate.parse(newDay), newSlotId).getString("start"));
        assertTrue(byId("confirm-details").getText().contains(newWhen));
        assertEquals("Change to this time", byId("book").getText());
        byId("book").click();
        shown("view-done");
        assertEquals("Your booking has been moved", byId("done-heading").getText());
        assertTrue(byId("done-details").getText().contains(newWhen));
        assertEquals(newSlotId, service.get("/api/v1/bookings/" + code, token).json().getLong("slotId"));
        screenshot("rescheduled");

        byId("done-manage").click();
        shown("view-booking");
        byId("cancel").click();
        shown("cancel-ask");
        assertEquals("Cancel this booking? The time will become free for others.", byId("cancel-ask-text").getText());
        byId("cancel-yes").click();
        shown("booking-message");
        assertEquals("Your booking has been cancelled.", byId("booking-message").getText());
        assertTrue(byId("book-again").isDisplayed());
        checkPage("en");
        screenshot("cancelled");
        assertEquals("cancelled", service.get("/api/v1/bookings/" + code, token).json().getString("status"));

        // and the switch back to Japanese re-renders what is on screen
        byId("lang-switch").click();
        browser.until(d -> byId("booking-message").getText().equals("予約を取り消しました。"));
        checkPage("ja");
    }

    @Test
    void aWrongBirthDateIsShownNextToItsField() throws Exception {
        int card = 2;
        open("");
        byId("verify-submit").click();
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("notice-error")));
        assertEquals("交付通知書の番号を入力してください。", byId("notice-error").getText());
        assertEquals("true", byId("notice").getAttribute("aria-invalid"));
        assertFocused("#notice");
        checkPage("ja");

        LocalDate wrong = DemoData.birthDate(card).plusDays(1);
        fillVerify("", notice(card), wrong);
        byId("verify-submit").click();
        WebElement error = browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("birth-error")));
        assertEquals("交付通知書の番号と生年月日が一致しません。もう一度お確かめください。", error.getText());
        assertFalse(byId("notice-error").isDisplayed(), "the earlier error is gone");
        for (String id : List.of("birth-year", "birth-month", "birth-day")) {
            assertEquals("true", byId(id).getAttribute("aria-invalid"), id);
            assertTrue(Set.of(byId(id).getAttribute("aria-describedby").split(" ")).contains("birth-error"), id);
        }
        assertEquals("birth", error.findElement(By.xpath("ancestor::fieldset")).getAttribute("id"), "the error sits in the birth date group");
        assertFocused("#birth-year");
        checkPage("ja");
        screenshot("ja");

        // the error follows the language switch
        byId("lang-switch").click();
        browser.until(d -> byId("birth-error").getText().startsWith("The notice number and date of birth do not match"));
        checkPage("en");
        screenshot("en");

        // an impossible date is caught before asking the service
        browser.sentRequests();
        byId("birth-month").clear();
        byId("birth-month").sendKeys("2");
        byId("birth-day").clear();
        byId("birth-day").sendKeys("30");
        byId("verify-submit").click();
        browser.until(d -> byId("birth-error").getText().startsWith("This is not a valid date of birth"));
        assertTrue(browser.sentRequests().stream().noneMatch(r -> r.url().contains("/verify")));
    }

    @Test
    void aSlotTakenMeanwhileIsExplainedAndTheNextFreeSlotsAreOffered() throws Exception {
        open("");
        fillVerify("", Long.toString(TEST_CARDS), TEST_BIRTH);
        byId("verify-submit").click();
        shown("view-calendar");
        assertTrue(byId("calendar-site").getText().contains("テスト会場"));
        browser.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#calendar button.day[data-day='" + testDay + "']"))).click();
        List<WebElement> slots = browser.until(ExpectedConditions.visibilityOfAllElementsLocatedBy(By.cssSelector("#slot-list button.slot")));
        assertEquals(4, slots.size());
        assertEquals("10:00〜10:15余裕あり(残り1席)", slots.get(0).getAccessibleName().replaceAll("\\s+", ""));
        long first = Long.parseLong(slots.get(0).getAttribute("data-slot-id"));
        slots.get(0).click();
        shown("view-confirm");

        // someone else takes the last seat while this resident reads the confirmation
        String other = service.verify(TEST_CARDS + 1);
        assertEquals(201, service.post("/api/v1/bookings", other, new JsonObject().put("slotId", first)).status());

        byId("book").click();
        WebElement taken = browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("taken-text")));
        assertTrue(taken.getText().startsWith("申し訳ありません。"), taken.getText());
        assertTrue(taken.getText().contains("10:00〜10:15 はたった今、満席になりました"), taken.getText());
        assertFocused("#taken-text");
        // other days first (each a way to its grid of times), then the next free times
        List<WebElement> days = browser.driver.findElements(By.cssSelector("#next-days button.slot"));
        assertEquals(List.of(testDay.toString()), days.stream().map(d -> d.getAttribute("data-day")).toList());
        assertTrue(days.get(0).getAccessibleName().replaceAll("\\s+", "").endsWith("(空き3席)"), days.get(0).getAccessibleName());
        List<WebElement> next = browser.driver.findElements(By.cssSelector("#next-list button.slot"));
        assertEquals(3, next.size(), "the three later slots of the day");
        assertFalse(byId("book").isDisplayed(), "the full slot can no longer be booked from here");
        assertFalse(byId("confirm-details").isDisplayed());
        assertTrue(next.get(0).getText().contains("10:15〜10:30"), next.get(0).getText());
        checkPage("ja");
        screenshot("taken");

        next.get(0).click();
        shown("view-confirm");
        browser.until(ExpectedConditions.invisibilityOfElementLocated(By.id("taken")));
        assertTrue(byId("confirm-details").getText().contains("10:15〜10:30"));
        byId("book").click();
        shown("view-done");
        screenshot("booked");
        String code = byId("done-code").getText().replace(" ", "");
        JsonObject booking = service.get("/api/v1/bookings/" + code, service.verify(TEST_CARDS)).json();
        assertEquals(slotAt(testDay, "10:15"), booking.getLong("slotId"));
    }

    @Test
    void aBusyServiceIsWaitedOutWithACountdownAndRetriedWithTheSameKey() throws Exception {
        int card = 3;
        open("");
        fillVerify("", notice(card), DemoData.birthDate(card));
        byId("verify-submit").click();
        shown("view-calendar");
        browser.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#calendar button.day"))).click();
        browser.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#slot-list button.slot"))).click();
        shown("view-confirm");
        List<Browser.Sent> sent = new ArrayList<>(browser.sentRequests());

        proxy.cut(); // the database is gone: the service answers 503 with Retry-After
        try {
            byId("book").click();
            WebElement busy = browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("busy")));
            assertTrue(busy.getText().contains("ただいま大変混み合っています"), busy.getText());
            assertTrue(byId("busy-count").getText().matches("\\(あと[1-9]\\d*秒\\)"), byId("busy-count").getText());
            assertEquals("status", busy.getAttribute("role"));
            checkPage("ja");
            screenshot("busy");
            // the page keeps retrying by itself, with the same Idempotency-Key
            browser.waiting(Duration.ofSeconds(15)).until(d -> {
                sent.addAll(browser.sentRequests());
                return bookingPosts(sent).size() >= 2;
            });
            assertTrue(byId("busy").isDisplayed(), "still busy while the database is away");
        } finally {
            proxy.resume();
        }
        browser.waiting(Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(By.id("view-done")));
        assertFalse(byId("busy").isDisplayed(), "the busy notice is gone");
        screenshot("booked");
        sent.addAll(browser.sentRequests());
        List<Browser.Sent> posts = bookingPosts(sent);
        assertTrue(posts.size() >= 2, "retried: " + posts.size());
        Set<String> keys = posts.stream().map(r -> r.header("Idempotency-Key")).collect(Collectors.toSet());
        assertEquals(1, keys.size(), "one key for the whole attempt: " + keys);
        assertTrue(keys.iterator().next().matches("[A-Za-z0-9_.:-]{16,128}"));
        JsonArray bookings = service.get("/api/v1/residents/me", token(card)).json().getJsonArray("bookings");
        assertEquals(1, bookings.size(), "booked exactly once: " + bookings.encode());
    }

    @Test
    void aDoubleClickBooksOnce() throws Exception {
        for (int card : new int[] {4, 5}) {
            open("");
            fillVerify("", notice(card), DemoData.birthDate(card));
            byId("verify-submit").click();
            shown("view-calendar");
            browser.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#calendar button.day"))).click();
            browser.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#slot-list button.slot"))).click();
            shown("view-confirm");
            browser.sentRequests();
            if (card == 4) {
                new Actions(browser.driver).doubleClick(byId("book")).perform(); // a real double click
            } else {
                browser.js("arguments[0].click(); arguments[0].click(); arguments[0].click();", byId("book")); // faster than any hand
            }
            shown("view-done");
            screenshot("card-" + card);
            List<Browser.Sent> posts = bookingPosts(browser.sentRequests());
            assertEquals(1, posts.size(), "one request for one booking");
            JsonArray bookings = service.get("/api/v1/residents/me", token(card)).json().getJsonArray("bookings");
            assertEquals(1, bookings.size(), bookings.encode());
            assertEquals(bookings.getJsonObject(0).getString("code"), byId("done-code").getText().replace(" ", ""));
            assertEquals("", byId("alert").getText());
        }
        // coming back later, the resident sees the booking instead of the calendar
        open("");
        fillVerify("", notice(4), DemoData.birthDate(4));
        byId("verify-submit").click();
        shown("view-booking");
        assertTrue(byId("booking-details").getText().contains("予約中"));
        assertTrue(byId("reschedule").isDisplayed() && byId("cancel").isDisplayed());
        screenshot("already-booked");
    }

    // ------------------------------------------------------------------ serving

    @Test
    void thePageIsServedInTheResidentsLanguageWithCacheHeaders() throws Exception {
        var ja = fetch("GET", "/", Map.of());
        assertEquals(200, ja.statusCode());
        assertTrue(ja.body().contains("<html lang=\"ja\">"));
        assertTrue(ja.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertEquals("no-cache", ja.headers().firstValue("Cache-Control").orElse(""));
        assertTrue(ja.headers().firstValue("Vary").orElse("").contains("Accept-Language"));
        assertTrue(ja.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        assertTrue(fetch("GET", "/", Map.of("Accept-Language", "en-US,en;q=0.9,ja;q=0.5")).body().contains("<html lang=\"en\">"));
        assertTrue(fetch("GET", "/", Map.of("Accept-Language", "ja,en-US;q=0.8")).body().contains("<html lang=\"ja\">"));
        assertTrue(fetch("GET", "/", Map.of("Accept-Language", "fr-FR")).body().contains("<html lang=\"ja\">"));
        assertTrue(fetch("GET", "/?lang=en", Map.of()).body().contains("<html lang=\"en\">"));
        assertTrue(fetch("GET", "/", Map.of("Cookie", "lang=en", "Accept-Language", "ja")).body().contains("<html lang=\"en\">"));
        var head = fetch("HEAD", "/", Map.of());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        String etag = ja.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, fetch("GET", "/", Map.of("If-None-Match", etag)).statusCode());

        Matcher link = Pattern.compile("/assets/app\\.js\\?v=([0-9a-f]+)").matcher(ja.body());
        assertTrue(link.find());
        var js = fetch("GET", link.group(), Map.of());
        assertEquals(200, js.statusCode());
        assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertEquals("public, max-age=31536000, immutable", js.headers().firstValue("Cache-Control").orElse(""));
        assertEquals("no-cache", fetch("GET", "/assets/app.js", Map.of()).headers().firstValue("Cache-Control").orElse(""));
        assertEquals(304, fetch("GET", link.group(), Map.of("If-None-Match", js.headers().firstValue("ETag").orElseThrow())).statusCode());
        assertEquals(200, fetch("GET", "/assets/style.css", Map.of()).statusCode());
        assertTrue(ja.body().contains("<script type=\"module\" src=\"" + link.group() + "\">"), "the page loads app.js as an ES module");
        // every module app.js imports (and they import) is served as JavaScript under the same version, cached for a year
        StringBuilder app = new StringBuilder();
        Set<String> seen = new java.util.TreeSet<>();
        List<String> queue = new ArrayList<>(List.of(link.group()));
        while (!queue.isEmpty()) {
            String path = queue.remove(0);
            if (!seen.add(path)) {
                continue;
            }
            var module = fetch("GET", path, Map.of());
            assertEquals(200, module.statusCode(), path);
            assertEquals("text/javascript; charset=utf-8", module.headers().firstValue("Content-Type").orElse(""), path);
            assertEquals("public, max-age=31536000, immutable", module.headers().firstValue("Cache-Control").orElse(""), path);
            app.append(module.body());
            Matcher imports = Pattern.compile("from '\\./([a-z0-9-]+\\.js)(\\?v=[0-9a-f]+)?'").matcher(module.body());
            while (imports.find()) {
                assertEquals("?v=" + link.group(1), imports.group(2), "an import in " + path + " carries the set's version");
                queue.add("/assets/" + imports.group(1) + "?v=" + link.group(1));
            }
        }
        for (String module : List.of("texts.js", "time.js", "api.js", "verify.js", "calendar.js", "slots.js", "booking.js",
                "manage.js", "waitlist.js")) {
            assertTrue(seen.contains("/assets/" + module + "?v=" + link.group(1)), module + " is loaded: " + seen);
        }

        assertEquals(404, fetch("GET", "/assets/nothing.js", Map.of()).statusCode());
        var page404 = fetch("GET", "/no/such/page", Map.of("Accept", "text/html"));
        assertEquals(404, page404.statusCode());
        assertTrue(page404.body().contains("ページが見つかりません"));
        var json404 = fetch("GET", "/no/such/page", Map.of());
        assertEquals(404, json404.statusCode());
        assertEquals("not_found", new JsonObject(json404.body()).getString("error"));
        var api404 = fetch("GET", "/api/v1/nothing", Map.of("Accept", "text/html"));
        assertEquals(404, api404.statusCode());
        assertEquals("not_found", new JsonObject(api404.body()).getString("error"));

        // every route the page calls is in the OpenAPI document
        String openapi = fetch("GET", "/openapi.yaml", Map.of()).body();
        for (String path : List.of("/api/v1/sites:", "/api/v1/sites/{siteId}/availability:", "/api/v1/residents/verify:",
                "/api/v1/residents/me:", "/api/v1/bookings:", "/api/v1/bookings/{code}:", "/api/v1/bookings/{code}/reschedule:",
                "/api/v1/waitlist:", "/api/v1/waitlist/offer/accept:",
                "  /:", "/assets/{name}:")) {
            assertTrue(openapi.contains("\n  " + path.strip()), "openapi.yaml documents " + path);
        }
        for (String call : List.of("'/api/v1/sites'", "'/api/v1/sites/'", "'/api/v1/residents/verify'", "'/api/v1/residents/me'",
                "'/api/v1/bookings'", "'/api/v1/bookings/'", "'/reschedule'", "'/availability?channel=web",
                "'/api/v1/waitlist'", "'/api/v1/waitlist/offer/accept'")) {
            assertTrue(app.toString().contains(call), "the page calls " + call);
        }

        // a browser that prefers English gets English
        browser.driver.executeCdpCommand("Network.enable", Map.of());
        browser.driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Accept-Language", "en-GB,en;q=0.9")));
        browser.driver.manage().deleteAllCookies();
        browser.driver.get(service.base() + "/");
        ready();
        assertEquals("en", browser.js("return document.documentElement.lang"));
        assertEquals("Tell us who you are", byId("start-heading").getText());
        checkPage("en");
        screenshot("accept-language-en");
    }

    @Test
    void aResidentWithALaterBookingWaitsForAnEarlierSeatAndTakesIt() throws Exception {
        // a site of its own: one seat at 10:00 on an early day and one on a later day
        String site = "waitweb";
        long cards = 3_200_000_001L;
        LocalDate early = LocalDate.now(TOKYO).plusDays(2);
        LocalDate late = LocalDate.now(TOKYO).plusDays(6);
        oneSeatSite(site, "待ち会場", "Waiting Hall", List.of(early, late));
        service.importCards(site, cards, 2);
        long earlySlot = onlySlot(site, early);
        long lateSlot = onlySlot(site, late);
        String other = service.verify(cards + 1);
        var taken = service.post("/api/v1/bookings", other, new JsonObject().put("slotId", earlySlot));
        assertEquals(201, taken.status(), taken.toString());
        var mine = service.post("/api/v1/bookings", service.verify(cards), new JsonObject().put("slotId", lateSlot));
        assertEquals(201, mine.status(), mine.toString());
        String code = mine.json().getString("code");

        // the resident sees their booking, and under it a way to ask for an earlier date
        open("");
        browser.answers();
        fillVerify("", Long.toString(cards), TEST_BIRTH);
        byId("verify-submit").click();
        shown("view-booking");
        shown("waitlist");
        // not on the list yet: an answer ({"state":"none"}), not a 404 in the console and the monitoring
        browser.until(d -> browser.answers().stream().anyMatch(a -> a.url().endsWith("/api/v1/waitlist") && a.status() == 200));
        assertEquals(new JsonObject().put("state", "none"), service.get("/api/v1/waitlist", service.verify(cards)).json());
        assertEquals("早い日の空きを待つ", byId("wl-heading").getText());
        LocalDate tomorrow = LocalDate.now(TOKYO).plusDays(1);
        assertEquals(tomorrow.toString(), byId("wl-from").getAttribute("value"), "from tomorrow");
        assertEquals(late.minusDays(1).toString(), byId("wl-to").getAttribute("value"), "up to the day before the booking");
        checkPage("ja");
        screenshot("waitlist-form");

        // dates after the booking: the service's refusal is shown next to the dates, in Japanese
        setValue("wl-from", late.plusDays(1).toString());
        setValue("wl-to", late.plusDays(2).toString());
        byId("wl-join-button").click();
        WebElement error = browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("wl-range-error")));
        assertEquals("始めの日は、いまの予約の日と同じか前の日にしてください。", error.getText());
        assertEquals("true", byId("wl-from").getAttribute("aria-invalid"));
        assertFocused("#wl-from");
        checkPage("ja");
        screenshot("waitlist-not-earlier");

        // the defaults again, sent by keyboard: number 1 on the list
        setValue("wl-from", tomorrow.toString());
        setValue("wl-to", late.minusDays(1).toString());
        byId("wl-to").sendKeys(Keys.ENTER);
        shown("wl-place");
        assertFocused("#wl-place");
        assertTrue(byId("wl-place").getText().startsWith("キャンセル待ちの1番目です"), byId("wl-place").getText());
        assertTrue(byId("wl-leave").isDisplayed());
        assertFalse(byId("wl-range-error").isDisplayed());
        checkPage("ja");
        screenshot("waitlist-joined");
        JsonObject entry = service.get("/api/v1/waitlist", service.verify(cards)).json();
        assertEquals("waiting", entry.getString("state"), entry.encode());

        // the early booking is cancelled; the service's waitlist pass holds that seat for this resident
        assertEquals(200, service.delete("/api/v1/bookings/" + taken.json().getString("code"), other).status());
        service.app.services().waitlist().tick().await(30, java.util.concurrent.TimeUnit.SECONDS);
        entry = service.get("/api/v1/waitlist", service.verify(cards)).json();
        assertEquals("offered", entry.getString("state"), entry.encode());
        String earlyStart = entry.getJsonObject("offer").getString("start");

        // the open page looks again by itself (every 15 s) and shows the held seat, announced politely
        browser.waiting(Duration.ofSeconds(25)).until(ExpectedConditions.visibilityOfElementLocated(By.id("offer")));
        assertTrue(byId("wl-live").getText().startsWith("キャンセル待ちの枠が空きました: " + japanese(earlyStart)), byId("wl-live").getText());
        assertTrue(byId("wl-on-note").getText().contains("この枠で予約する"), byId("wl-on-note").getText());
        checkPage("ja");

        // coming back later, the resident sees the held seat at the top of the page, with the focus on it
        open("");
        fillVerify("", Long.toString(cards), TEST_BIRTH);
        byId("verify-submit").click();
        shown("offer");
        assertFocused("#offer-heading");
        assertEquals("キャンセル待ちの枠が空きました", byId("offer-heading").getText());
        assertTrue(byId("offer-details").getText().contains(japanese(earlyStart)), byId("offer-details").getText());
        assertTrue(byId("offer-details").getText().contains("待ち会場"), byId("offer-details").getText());
        String until = DateTimeFormatter.ofPattern("HH:mm").format(OffsetDateTime.parse(
                entry.getJsonObject("offer").getString("expiresAt")).atZoneSameInstant(TOKYO));
        assertEquals(until + "までお取りしています。", byId("offer-until").getText());
        assertEquals("この枠で予約する", byId("offer-accept").getText());
        checkPage("ja");
        screenshot("offer-ja");

        // in English too
        byId("lang-switch").click();
        browser.until(d -> byId("offer-accept").getText().equals("Take this seat"));
        assertTrue(byId("offer-until").getText().startsWith("It is held for you until "), byId("offer-until").getText());
        assertTrue(byId("offer-details").getText().contains(english(earlyStart)), byId("offer-details").getText());
        checkPage("en");
        screenshot("offer-en");

        // taking it moves the booking to the earlier seat, keeping its code
        byId("offer-accept").click();
        shown("view-done");
        assertFocused("#done-heading");
        assertEquals("Your booking has been moved", byId("done-heading").getText());
        assertEquals(code, byId("done-code").getText().replace(" ", ""));
        assertTrue(byId("done-details").getText().contains(english(earlyStart)), byId("done-details").getText());
        assertFalse(byId("offer").isDisplayed());
        checkPage("en");
        screenshot("offer-taken");
        JsonObject booking = service.get("/api/v1/bookings/" + code, service.verify(cards)).json();
        assertEquals(earlySlot, booking.getLong("slotId"));
        assertEquals("active", booking.getString("status"));
        assertEquals("accepted", service.get("/api/v1/waitlist", service.verify(cards)).json().getString("state"));
    }

    @Test
    void whenNoSeatIsFreeTheResidentMayJoinTheWaitlistAndLeaveIt() throws Exception {
        // a site with a single seat
        String site = "fullweb";
        long cards = 3_300_000_001L;
        LocalDate day = LocalDate.now(TOKYO).plusDays(4);
        oneSeatSite(site, "満席会場", "Full Hall", List.of(day));
        long slot = onlySlot(site, day);
        service.importCards(site, cards, 2);

        browser.driver.manage().window().setSize(new Dimension(390, 844));
        open("?lang=en");
        fillVerify("", Long.toString(cards), TEST_BIRTH);
        byId("verify-submit").click();
        shown("view-calendar");
        browser.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#calendar button.day[data-day='" + day + "']"))).click();
        browser.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#slot-list button.slot"))).click();
        shown("view-confirm");
        assertFalse(byId("waitlist").isDisplayed(), "a free seat needs no waitlist");

        // someone else takes the only seat: nothing near is free, so the waitlist is offered right there
        assertEquals(201, service.post("/api/v1/bookings", service.verify(cards + 1), new JsonObject().put("slotId", slot)).status());
        byId("book").click();
        shown("taken-text");
        shown("waitlist");
        assertTrue(byId("view-confirm").getText().contains("Ask for an earlier date"));
        checkPage("en");
        screenshot("taken-no-next");

        // and in the calendar, which now has no free day
        byId("confirm-back").click();
        shown("view-calendar");
        browser.until(d -> !byId("calendar").getText().contains("Loading"));
        shown("waitlist");
        assertFitsTheScreen();
        assertEquals("Ask for an earlier date", byId("wl-heading").getText());
        assertTrue(byId("wl-intro").getText().startsWith("When no seat is free"), byId("wl-intro").getText());
        assertEquals(LocalDate.now(TOKYO).plusDays(1).toString(), byId("wl-from").getAttribute("value"));
        checkPage("en");
        screenshot("full");

        // a range that ends before it starts is caught on the page
        setValue("wl-to", LocalDate.now(TOKYO).toString());
        byId("wl-join-button").click();
        browser.until(d -> byId("wl-range-error").getText().equals("The last date must be the same as or after the first date."));
        checkPage("en");

        setValue("wl-to", day.plusDays(3).toString());
        byId("wl-join-button").click();
        browser.until(d -> byId("wl-place").getText().startsWith("You are number 1 on the waitlist"));
        assertEquals("waiting", service.get("/api/v1/waitlist", service.verify(cards)).json().getString("state"));
        checkPage("en");

        byId("wl-leave").click();
        browser.until(d -> byId("wl-message").getText().equals("You have left the waitlist."));
        assertFocused("#wl-message");
        assertTrue(byId("wl-join-button").isDisplayed(), "the resident may ask again");
        assertEquals("cancelled", service.get("/api/v1/waitlist", service.verify(cards)).json().getString("state"));
        checkPage("en");
        screenshot("left");
    }

    @Test
    void anOfferNoLongerHeldIsExplainedPolitely() throws Exception {
        String site = "goneweb";
        long cards = 3_400_000_001L;
        LocalDate early = LocalDate.now(TOKYO).plusDays(2);
        LocalDate late = LocalDate.now(TOKYO).plusDays(6);
        oneSeatSite(site, "取消会場", "Gone Hall", List.of(early, late));
        service.importCards(site, cards, 2);
        String other = service.verify(cards + 1);
        var taken = service.post("/api/v1/bookings", other, new JsonObject().put("slotId", onlySlot(site, early)));
        assertEquals(201, taken.status(), taken.toString());
        String mine = service.verify(cards);
        assertEquals(201, service.post("/api/v1/bookings", mine, new JsonObject().put("slotId", onlySlot(site, late))).status());
        assertEquals(201, service.post("/api/v1/waitlist", mine, new JsonObject().put("from", early.toString())
                .put("to", late.minusDays(1).toString())).status());
        assertEquals(200, service.delete("/api/v1/bookings/" + taken.json().getString("code"), other).status());
        service.app.services().waitlist().tick().await(30, java.util.concurrent.TimeUnit.SECONDS);

        open("");
        fillVerify("", Long.toString(cards), TEST_BIRTH);
        byId("verify-submit").click();
        shown("offer-accept");
        // meanwhile, in another window, the resident leaves the waitlist: the seat goes on
        assertEquals(200, service.delete("/api/v1/waitlist", service.verify(cards)).status());
        byId("offer-accept").click();
        WebElement gone = browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("offer-gone")));
        assertTrue(gone.getText().startsWith("この枠は、もうお取りしていません"), gone.getText());
        assertFocused("#offer-gone");
        assertFalse(byId("offer-accept").isDisplayed());
        // the seat no longer held is free again: it is offered as an earlier time to move to, instead of the waitlist
        WebElement earlier = browser.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#earlier-list button.slot")));
        assertEquals(onlySlot(site, early), Long.parseLong(earlier.getAttribute("data-slot-id")));
        assertFalse(byId("waitlist").isDisplayed(), "no waitlist while an earlier seat is free");
        checkPage("ja");
        screenshot("gone");
    }

    // ------------------------------------------------------------------ helpers

    private static HttpResponse<String> fetch(String method, String path, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(service.base() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String notice(int card) {
        return Long.toString(DemoData.FIRST_NOTICE + card);
    }

    private static String token(int card) {
        var r = service.post("/api/v1/residents/verify", null, new JsonObject().put("noticeNumber", notice(card))
                .put("birthDate", DemoData.birthDate(card).toString()));
        assertEquals(200, r.status(), r.toString());
        return r.json().getString("token");
    }

    private static JsonObject slotOf(String site, LocalDate day, long slotId) {
        for (Object o : service.get("/api/v1/sites/" + site + "/availability?channel=web&from=" + day + "&to=" + day, null).array()) {
            if (((JsonObject) o).getLong("slotId") == slotId) {
                return (JsonObject) o;
            }
        }
        throw new AssertionError("no slot " + slotId + " on " + day);
    }

    /** A site of its own with one seat at 10:00 on each of {@code days}. */
    private static void oneSeatSite(String site, String ja, String en, List<LocalDate> days) {
        assertEquals(201, service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new JsonObject().put("id", site)
                .put("name", new JsonObject().put("ja", ja).put("en", en)).put("kind", "popup")
                .put("address", new JsonObject().put("ja", "川崎市幸区テスト2-2").put("en", "2-2 Test, Saiwai-ku, Kawasaki"))).status());
        for (LocalDate d : days) {
            assertEquals(200, service.put("/api/v1/admin/sites/" + site + "/capacity", TestService.ADMIN_TOKEN, new JsonObject()
                    .put("from", d.toString()).put("to", d.toString()).put("startTime", "10:00").put("endTime", "10:15")
                    .put("counters", 1).put("perCounter", 1)).status());
        }
    }

    private static long onlySlot(String site, LocalDate day) {
        JsonArray slots = service.get("/api/v1/sites/" + site + "/availability?channel=web&from=" + day + "&to=" + day, null).array();
        assertEquals(1, slots.size(), slots.encode());
        return slots.getJsonObject(0).getLong("slotId");
    }

    private static void setValue(String id, String value) {
        browser.js("var e = document.getElementById(arguments[0]); e.value = arguments[1];"
                + " e.dispatchEvent(new Event('input', {bubbles: true}));", id, value);
    }

    private static long slotAt(LocalDate day, String time) {
        for (Object o : service.get("/api/v1/sites/" + TEST_SITE + "/availability?channel=operator&from=" + day + "&to=" + day, null).array()) {
            if (OffsetDateTime.parse(((JsonObject) o).getString("start")).toLocalTime().toString().equals(time)) {
                return ((JsonObject) o).getLong("slotId");
            }
        }
        throw new AssertionError("no slot at " + time);
    }

    /** "12月3日(木) 14:15" */
    private static String japanese(String iso) {
        return DateTimeFormatter.ofPattern("M月d日(E) HH:mm", Locale.JAPANESE).format(OffsetDateTime.parse(iso).atZoneSameInstant(TOKYO));
    }

    /** "Thu, Dec 3, 2:15 PM" */
    private static String english(String iso) {
        return DateTimeFormatter.ofPattern("EEE, MMM d, h:mm a", Locale.US).format(OffsetDateTime.parse(iso).atZoneSameInstant(TOKYO));
    }

    private static List<Browser.Sent> bookingPosts(List<Browser.Sent> sent) {
        return sent.stream().filter(r -> r.method().equals("POST") && r.url().endsWith("/api/v1/bookings")).collect(Collectors.toList());
    }

    private void open(String query) {
        browser.driver.manage().deleteAllCookies();
        browser.driver.get(service.base() + "/" + query);
        ready();
    }

    private void ready() {
        browser.until(d -> "true".equals(browser.js("return document.body.dataset.ready || ''")));
    }

    private static WebElement byId(String id) {
        return browser.byId(id);
    }

    private static void shown(String id) {
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    }

    private static void fillVerify(String prefix, String notice, LocalDate birth) {
        for (String[] f : new String[][] {{"notice", notice}, {"birth-year", Integer.toString(birth.getYear())},
                {"birth-month", Integer.toString(birth.getMonthValue())}, {"birth-day", Integer.toString(birth.getDayOfMonth())}}) {
            WebElement input = byId(prefix + f[0]);
            if (!input.getAttribute("value").isEmpty()) {
                input.clear();
            }
            input.sendKeys(f[1]);
        }
    }

    /** Presses Tab until the focused element matches {@code css}: it must be reachable by keyboard. */
    private static WebElement tabTo(String css) {
        for (int i = 0; i < 80; i++) {
            press(Keys.TAB);
            if (Boolean.TRUE.equals(browser.js("return document.activeElement.matches(arguments[0])", css))) {
                return browser.driver.switchTo().activeElement();
            }
        }
        return fail("cannot reach " + css + " with the Tab key");
    }

    private static void press(CharSequence key) {
        new Actions(browser.driver).sendKeys(key).perform();
    }

    private static void assertFocused(String css) {
        browser.until(d -> Boolean.TRUE.equals(browser.js("return document.activeElement.matches(arguments[0])", css)));
    }

    private static void assertFitsTheScreen() {
        Object overflow = browser.js("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertEquals(0L, ((Number) overflow).longValue(), "no sideways scrolling on a phone screen");
    }

    @SuppressWarnings("unchecked")
    private void checkPage(String lang) {
        List<String> problems = (List<String>) browser.js(a11yCheck, lang);
        assertTrue(problems.isEmpty(), "accessibility problems in " + testName + ": " + problems);
        assertNotEquals("", browser.js("return document.title"));
        // axe-core 4 (no serious or critical violation) and reflow at 320 px with 200 % text, in every state visited
        String state = "resident-" + testName + "-" + (++checks);
        Axe.check(browser, state);
        Axe.checkReflow(browser, state);
    }

    private void screenshot(String step) throws IOException {
        browser.screenshot(testName + "-" + (++shots) + "-" + step);
    }
}
