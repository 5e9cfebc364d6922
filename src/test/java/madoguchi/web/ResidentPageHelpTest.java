package madoguchi.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.Config;
import madoguchi.support.Axe;
import madoguchi.support.Browser;
import madoguchi.support.MutableClock;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the resident page does to help, in a real Chromium against the whole service: availability
 * marks with words and counts for screen readers, times grouped by part of the day, the waitlist
 * offered only where an earlier seat could still come free, warnings before the session or a held
 * seat runs out (the service's clock is moved by hand), a chosen time kept over an expired session,
 * and a birth date given in a Japanese era. Every state is checked with axe-core and for reflow.
 */
class ResidentPageHelpTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final LocalDate BIRTH = LocalDate.of(1980, 1, 1); // TestService.importCards: 昭和55年1月1日

    // texts (waitlist offers) go only in the daytime: the service and the browser live at 11:00 Tokyo today
    private static final madoguchi.support.DaytimeClock daytime = madoguchi.support.DaytimeClock.today();
    private static TestService service;
    private static MutableClock clock;
    private static Browser browser;
    private static String a11yCheck;
    private String testName;
    private int checks;

    @BeforeAll
    static void start() throws Exception {
        clock = new MutableClock(daytime.instant());
        // a held seat lasts 2 minutes here, so its warning (3 minutes before the end) shows at once
        service = TestService.start(TestDatabase.fresh(), Map.of("MADOGUCHI_DEMO", "false",
                "MADOGUCHI_VERIFY_PER_ADDRESS_PER_MINUTE", "1000", "MADOGUCHI_WAITLIST_OFFER_MINUTES", "2"), clock);
        try (InputStream in = ResidentPageHelpTest.class.getResourceAsStream("/web/a11y-check.js")) {
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
    }

    @BeforeEach
    void fresh(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
        checks = 0;
        clock.set(daytime.instant());
        browser.driver.manage().window().setSize(new Dimension(390, 844));
        browser.consoleErrors();
    }

    @AfterEach
    void noScriptErrors() {
        clock.set(daytime.instant());
        assertEquals(List.of(), browser.consoleErrors().stream().filter(e -> !e.contains("401")).toList(),
                "errors in the browser console");
    }

    // ------------------------------------------------------------------ marks and times

    @Test
    void daysShowAvailabilityMarksNamedForScreenReadersAndTimesAreGroupedByPartOfDay() throws Exception {
        String site = "marks";
        long cards = 5_100_000_001L;
        LocalDate plenty = today().plusDays(3);
        LocalDate few = today().plusDays(4);
        LocalDate full = today().plusDays(5);
        site(site, "印会場");
        capacity(site, plenty, "09:00", "18:00", 1); // 36 one-seat slots, morning to evening
        capacity(site, few, "10:00", "12:30", 1);   // 10 seats, 9 of them booked: 10 % free
        capacity(site, full, "10:00", "10:15", 1);   // one seat, booked
        service.importCards(site, cards, 12);
        JsonArray fewSlots = slots(site, few);
        for (int i = 0; i < 9; i++) {
            book(cards + 1 + i, fewSlots.getJsonObject(i).getLong("slotId"));
        }
        book(cards + 10, slots(site, full).getJsonObject(0).getLong("slotId"));

        open("");
        verifyAs(cards);
        WebElement day = browser.until(ExpectedConditions.elementToBeClickable(dayAt(plenty)));
        checkPage("ja");
        // the eye sees the day and a mark; a screen reader hears the date, the words and the count
        assertEquals("◎", day.findElement(By.className("mark")).getText());
        assertEquals(null, day.getAttribute("aria-label"), "the name comes from the content, so it contains what is seen");
        assertEquals(japaneseDate(plenty) + "余裕あり(空き36席)", name(day));
        WebElement fewDay = browser.driver.findElement(dayAt(few));
        assertEquals("△", fewDay.findElement(By.className("mark")).getText());
        assertEquals(japaneseDate(few) + "残りわずか(空き1席)", name(fewDay));
        WebElement fullDay = browser.driver.findElement(dayAt(full));
        assertEquals("span", fullDay.getTagName(), "a full day is not a button");
        assertEquals(null, fullDay.getAttribute("aria-label"));
        assertEquals("×", fullDay.findElement(By.className("mark")).getText());
        assertTrue(text(fullDay).endsWith("満席"), text(fullDay));
        // a day without counters is closed, one already gone is past: each looks different, all explained
        WebElement closed = browser.driver.findElement(dayAt(today().plusDays(2)));
        assertTrue(closed.getAttribute("class").contains("closed"), closed.getAttribute("class"));
        assertTrue(text(closed).endsWith("休み"), text(closed));
        if (today().getMonthValue() == today().plusDays(1).getMonthValue()) {
            WebElement past = browser.driver.findElement(dayAt(today()));
            assertTrue(past.getAttribute("class").contains("past"), past.getAttribute("class"));
            assertTrue(text(past).endsWith("受付終了"), text(past));
        }
        List<String> legend = browser.driver.findElements(By.cssSelector("#calendar .legend li")).stream().map(this::text).toList();
        assertEquals(7, legend.size(), legend.toString());
        assertTrue(legend.get(0).startsWith("◎余裕あり"), legend.toString());
        assertTrue(browser.driver.findElement(By.cssSelector("#calendar .legend-title")).getText().contains("席"),
                "the legend speaks of seats");
        screenshot("marks");

        // a day: the focus lands where its times can be seen, grouped by morning, afternoon and evening
        day.click();
        browser.until(d -> Boolean.TRUE.equals(browser.js("return document.activeElement.id === 'slots-heading'")));
        WebElement first = browser.driver.findElement(By.cssSelector("#slot-list button.slot"));
        assertTrue(Boolean.TRUE.equals(browser.js("const r = arguments[0].getBoundingClientRect();"
                + " return r.top >= 0 && r.bottom <= window.innerHeight;", first)), "a time is visible after choosing the day");
        List<String> groups = browser.driver.findElements(By.cssSelector("#slot-list .slot-group h4")).stream()
                .map(WebElement::getText).toList();
        assertEquals(List.of("午前", "午後", "夕方"), groups);
        List<WebElement> morning = browser.driver.findElements(By.cssSelector("#slot-list .slot-group:first-child button.slot"));
        assertEquals(12, morning.size(), "09:00 to 11:45");
        assertEquals("09:00〜09:15余裕あり(残り1席)", name(morning.get(0)));
        assertEquals("slots-morning", browser.driver.findElement(By.cssSelector("#slot-list .slot-group:first-child ul"))
                .getAttribute("aria-labelledby"));
        // a compact grid: several times on a row of a phone screen, not one full-width button each
        int firstTop = morning.get(0).getRect().getY();
        assertEquals(firstTop, morning.get(1).getRect().getY(), "two times side by side");
        assertTrue(morning.get(0).getRect().getWidth() < 200, "narrow time buttons: " + morning.get(0).getRect().getWidth());
        checkPage("ja");
        screenshot("times");

        // in English, the same marks are named in English
        byId("lang-switch").click();
        browser.until(d -> "en".equals(browser.js("return document.documentElement.lang")));
        WebElement enDay = browser.driver.findElement(dayAt(plenty));
        assertTrue(englishName(enDay).matches("(Sun|Mon|Tue|Wed|Thu|Fri|Sat), [A-Z][a-z]{2} ?\\d{1,2}: plenty of seats \\(36 seats free\\)"),
                englishName(enDay));
        assertEquals(List.of("Morning", "Afternoon", "Evening"), browser.driver.findElements(By.cssSelector("#slot-list .slot-group h4"))
                .stream().map(WebElement::getText).toList());
        checkPage("en");
    }

    // ------------------------------------------------------------------ the waitlist only where it helps

    @Test
    void theWaitlistIsOfferedOnlyWhenAnEarlierSeatCouldComeFree() throws Exception {
        String site = "wlhelp";
        long cards = 5_200_000_001L;
        LocalDate tomorrow = today().plusDays(1);
        LocalDate later = today().plusDays(6);
        site(site, "待ち判定会場");
        capacity(site, tomorrow, "20:00", "20:15", 2); // always at least 20 hours ahead: bookable from today
        capacity(site, later, "10:00", "10:15", 2);
        service.importCards(site, cards, 4);

        // a booking already on the first bookable day: nothing can come earlier, so no waitlist
        String code = book(cards, slots(site, tomorrow).getJsonObject(0).getLong("slotId"));
        open("");
        verifyAs(cards);
        shown("view-booking");
        // once the page has looked for earlier seats (it marks the box with the booking it looked for)
        browser.until(d -> code.equals(byId("earlier").getAttribute("data-looked-for")));
        assertFalse(byId("waitlist").isDisplayed(), "no waitlist for a booking on the first bookable day");
        assertFalse(byId("earlier").isDisplayed());
        checkPage("ja");
        screenshot("first-day");

        // a later booking while a seat is free before it: that seat is offered, not the waitlist
        book(cards + 1, slots(site, later).getJsonObject(0).getLong("slotId"));
        open("");
        verifyAs(cards + 1);
        shown("view-booking");
        WebElement earlier = browser.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#earlier-list button.slot")));
        assertEquals(slots(site, tomorrow).getJsonObject(0).getLong("slotId"), Long.parseLong(earlier.getAttribute("data-slot-id")));
        assertTrue(byId("earlier-text").getText().startsWith("いまの予約より早い日時に空きがあります"), byId("earlier-text").getText());
        assertFalse(byId("waitlist").isDisplayed(), "seats free now are shown instead of the waitlist");
        checkPage("ja");
        screenshot("earlier-free");
        // taking it moves the booking, keeping the code
        earlier.click();
        shown("view-confirm");
        assertEquals("この日時に変更する", byId("book").getText());

        // the months ahead: days beyond the booking horizon are "not open yet", never "full", and get no waitlist
        open("");
        verifyAs(cards + 2);
        shown("view-calendar");
        browser.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#calendar button.day")));
        while (byId("month-next").isEnabled()) {
            String before = byId("month-name").getText();
            byId("month-next").click();
            browser.until(d -> !byId("month-name").getText().equals(before) && !byId("calendar").getText().contains("読み込んで"));
        }
        LocalDate horizon = today().plusDays(56);
        List<WebElement> later2 = browser.driver.findElements(By.cssSelector("#calendar .day.later"));
        for (WebElement d : later2) {
            assertTrue(LocalDate.parse(d.getAttribute("data-day")).isAfter(horizon), d.getAttribute("data-day"));
            assertTrue(text(d).endsWith("受付前"), text(d));
        }
        String shownMonth = browser.driver.findElement(By.cssSelector("#calendar td:not(.blank) .day")).getAttribute("data-day");
        if (LocalDate.parse(shownMonth).isAfter(horizon)) {
            assertTrue(byId("cal-not-open").getText().startsWith("この月の予約は、まだ受け付けていません"), byId("cal-not-open").getText());
            assertFalse(byId("calendar").getText().contains("予約できる日がありません"));
        }
        assertFalse(byId("waitlist").isDisplayed(), "seats are free in an earlier month: no waitlist");
        checkPage("ja");
        screenshot("not-open");
    }

    // ------------------------------------------------------------------ time limits (WCAG 2.2.1)

    @Test
    void aSessionAboutToEndIsAnnouncedAndCanBeExtended() throws Exception {
        String site = "session";
        long cards = 5_300_000_001L;
        LocalDate day = today().plusDays(3);
        site(site, "時間会場");
        capacity(site, day, "10:00", "10:30", 1);
        service.importCards(site, cards, 1);

        // the service's clock is 29 min 35 s behind: the token it gives ends in 25 seconds
        clock.set(daytime.instant().minus(Duration.ofMinutes(29)).minus(Duration.ofSeconds(35)));
        open("");
        verifyAs(cards);
        shown("view-calendar");
        WebElement warning = browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("session-warn")));
        assertTrue(byId("session-warn-text").getText().startsWith("ご本人確認の有効時間は、あと約1分"), byId("session-warn-text").getText());
        assertEquals("assertive", byId("session-live").getAttribute("aria-live"));
        assertTrue(byId("session-live").getText().startsWith("ご本人確認の有効時間は、あと約"), "announced: " + byId("session-live").getText());
        assertTrue(warning.getText().contains("選んだ日時は残ります"), "it says what happens when it ends");
        checkPage("ja");
        screenshot("warning");

        // when the time has run out, the page says so and stays as it is
        browser.waiting(Duration.ofSeconds(40)).until(d -> byId("session-warn-text").getText().startsWith("ご本人確認の有効時間が過ぎました"));
        assertTrue(byId("session-live").getText().startsWith("ご本人確認の有効時間が過ぎました"), byId("session-live").getText());
        assertTrue(byId("view-calendar").isDisplayed(), "nothing is taken away from the screen");
        checkPage("ja");

        // extending verifies again with what was entered: a token for 30 more minutes, the page stays
        clock.set(daytime.instant());
        byId("session-extend").click();
        browser.until(ExpectedConditions.invisibilityOfElementLocated(By.id("session-warn")));
        assertTrue(byId("session-live").getText().startsWith("時間を延長しました"), byId("session-live").getText());
        assertTrue(byId("view-calendar").isDisplayed());
        browser.until(ExpectedConditions.elementToBeClickable(dayAt(day))).click();
        browser.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#slot-list button.slot"))).click();
        shown("view-confirm");
        byId("book").click();
        shown("view-done");
        checkPage("ja");
    }

    @Test
    void anExpiredSessionKeepsTheChosenTimeForTheNextVerification() throws Exception {
        String site = "expiry";
        long cards = 5_400_000_001L;
        LocalDate day = today().plusDays(3);
        site(site, "期限会場");
        capacity(site, day, "10:00", "10:30", 1);
        service.importCards(site, cards, 1);
        long second = slots(site, day).getJsonObject(1).getLong("slotId");

        open("");
        verifyAs(cards);
        browser.until(ExpectedConditions.elementToBeClickable(dayAt(day))).click();
        browser.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#slot-list button.slot[data-slot-id='" + second + "']"))).click();
        shown("view-confirm");
        String when = byId("confirm-details").getText();

        // half an hour passes on the service: the token has ended when the resident presses "book"
        clock.advance(Duration.ofMinutes(31));
        byId("book").click();
        shown("view-start");
        browser.until(d -> byId("alert").getText().contains("選んでいた日時(" + japaneseDate(day) + " 10:15〜10:30)は残してあります"));
        checkPage("ja");
        screenshot("expired");

        // verifying again goes straight back to the time that was being confirmed
        clock.set(daytime.instant());
        verifyAs(cards);
        shown("view-confirm");
        assertEquals(when, byId("confirm-details").getText());
        byId("book").click();
        shown("view-done");
        String code = byId("done-code").getText().replace(" ", "");
        assertEquals(second, service.get("/api/v1/bookings/" + code, service.verify(cards)).json().getLong("slotId"));
        checkPage("ja");
    }

    @Test
    void aHeldSeatAboutToGoIsAnnounced() throws Exception {
        String site = "offerwarn";
        long cards = 5_500_000_001L;
        LocalDate early = today().plusDays(2);
        LocalDate late = today().plusDays(6);
        site(site, "取り置き会場");
        capacity(site, early, "10:00", "10:15", 1);
        capacity(site, late, "10:00", "10:15", 1);
        service.importCards(site, cards, 2);
        String other = service.verify(cards + 1);
        var taken = service.post("/api/v1/bookings", other, new JsonObject().put("slotId", slots(site, early).getJsonObject(0).getLong("slotId")));
        assertEquals(201, taken.status(), taken.toString());
        String mine = service.verify(cards);
        assertEquals(201, service.post("/api/v1/bookings", mine, new JsonObject().put("slotId", slots(site, late).getJsonObject(0).getLong("slotId"))).status());
        assertEquals(201, service.post("/api/v1/waitlist", mine, new JsonObject().put("from", early.toString())
                .put("to", late.minusDays(1).toString())).status());
        assertEquals(200, service.delete("/api/v1/bookings/" + taken.json().getString("code"), other).status());
        service.app.services().waitlist().tick().await(30, TimeUnit.SECONDS);
        JsonObject entry = service.get("/api/v1/waitlist", mine).json();
        assertEquals("offered", entry.getString("state"), entry.encode());
        String until = DateTimeFormatter.ofPattern("HH:mm").format(OffsetDateTime.parse(
                entry.getJsonObject("offer").getString("expiresAt")).atZoneSameInstant(TOKYO));

        open("");
        verifyAs(cards);
        WebElement warning = browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("offer-warn")));
        assertEquals("お取りしている枠は、あと約2分(" + until + "まで)で次の方へお回しします(延長はできません)。"
                + "予約する場合は「この枠で予約する」を押してください。", warning.getText());
        browser.until(d -> byId("wl-live").getText().contains("お取りしている枠は、あと約2分")); // announced with the seat
        checkPage("ja");
        screenshot("offer-warning");
    }

    // ------------------------------------------------------------------ 和暦

    @Test
    void aBirthDateMayBeGivenInAJapaneseEra() throws Exception {
        String site = "wareki";
        long cards = 5_600_000_001L;
        site(site, "和暦会場");
        capacity(site, today().plusDays(3), "10:00", "10:15", 1);
        service.importCards(site, cards, 1);

        open("");
        assertEquals(List.of("西暦", "令和", "平成", "昭和", "大正"), new Select(byId("birth-era")).getOptions().stream()
                .map(WebElement::getText).toList());
        assertEquals("年の数え方", browser.driver.findElement(By.cssSelector("label[for=birth-era]")).getText());
        checkPage("ja");

        // 昭和64年1月8日 does not exist (it was 平成元年): said next to the field, nothing sent
        byId("notice").sendKeys(Long.toString(cards));
        new Select(byId("birth-era")).selectByValue("showa");
        byId("birth-year").sendKeys("64");
        byId("birth-month").sendKeys("1");
        byId("birth-day").sendKeys("8");
        browser.sentRequests();
        byId("verify-submit").click();
        browser.until(d -> byId("birth-error").getText().startsWith("この和暦の日付はありません"));
        assertEquals("true", byId("birth-era").getAttribute("aria-invalid"));
        assertTrue(browser.sentRequests().stream().noneMatch(r -> r.url().contains("/verify")));
        checkPage("ja");
        screenshot("era-error");

        // 昭和55年1月1日 is 1980-01-01: the card's birth date
        byId("birth-year").clear();
        byId("birth-year").sendKeys("55");
        byId("birth-day").clear();
        byId("birth-day").sendKeys("1");
        byId("verify-submit").click();
        shown("view-calendar");
        var verify = browser.sentRequests().stream().filter(r -> r.url().endsWith("/api/v1/residents/verify")).toList();
        assertEquals(1, verify.size());
        checkPage("ja");

        // in English the eras are named too
        open("?lang=en");
        assertEquals(List.of("Western (AD)", "Reiwa", "Heisei", "Shōwa", "Taishō"), new Select(byId("birth-era")).getOptions().stream()
                .map(WebElement::getText).toList());
        fill(cards, "heisei", "1", "1", "8");
        byId("verify-submit").click();
        // 平成元年1月8日 exists (1989-01-08) but is not this card's birth date: the service says they do not match
        browser.until(d -> byId("birth-error").getText().startsWith("The notice number and date of birth do not match"));
        checkPage("en");
    }

    // ------------------------------------------------------------------ words

    @Test
    void theStartPageSaysTheBookingOpensWithoutItsCodeAndTheTitleKeepsItsWordsWhole() throws Exception {
        open("");
        String manage = browser.driver.findElement(By.cssSelector("[data-t='start.manageText']")).getText();
        assertTrue(manage.contains("交付通知書の番号と生年月日") && manage.contains("予約番号は要りません"), manage);
        // at 150 % text on a 390 px phone the title breaks between its words, never before its last character
        browser.driver.executeCdpCommand("Page.setFontSizes", Map.of("fontSizes", Map.of("standard", 24, "fixed", 20)));
        try {
            Object lines = browser.js("""
                    const h = document.getElementById('page-title');
                    const text = h.firstChild;
                    const top = (i) => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1);
                      return Math.round(r.getBoundingClientRect().top); };
                    const n = text.length;
                    return [top(0), top(n - 2), top(n - 1), top(text.data.indexOf(' ') + 1)];""");
            @SuppressWarnings("unchecked")
            List<Long> tops = (List<Long>) lines;
            assertEquals(tops.get(1), tops.get(2), "「約」 is on the line of 「予」: " + tops);
            assertEquals(tops.get(3), tops.get(2), "「受け取り予約」 is one line: " + tops);
            screenshot("title-150");
        } finally {
            browser.driver.executeCdpCommand("Page.setFontSizes", Map.of("fontSizes", Map.of("standard", 16, "fixed", 13)));
        }
        checkPage("ja");
    }

    // ------------------------------------------------------------------ helpers

    private static LocalDate today() {
        return LocalDate.now(TOKYO);
    }

    private static void site(String id, String ja) {
        assertEquals(201, service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new JsonObject().put("id", id)
                .put("name", new JsonObject().put("ja", ja).put("en", id + " hall")).put("kind", "popup")
                .put("address", new JsonObject().put("ja", "川崎市幸区テスト3-3").put("en", "3-3 Test, Saiwai-ku, Kawasaki"))).status());
    }

    private static void capacity(String site, LocalDate day, String from, String to, int perCounter) {
        assertEquals(200, service.put("/api/v1/admin/sites/" + site + "/capacity", TestService.ADMIN_TOKEN, new JsonObject()
                .put("from", day.toString()).put("to", day.toString()).put("startTime", from).put("endTime", to)
                .put("counters", 1).put("perCounter", perCounter)).status());
    }

    private static JsonArray slots(String site, LocalDate day) {
        return service.get("/api/v1/sites/" + site + "/availability?channel=web&from=" + day + "&to=" + day, null).array();
    }

    private static String book(long card, long slotId) {
        var r = service.post("/api/v1/bookings", service.verify(card), new JsonObject().put("slotId", slotId));
        assertEquals(201, r.status(), r.toString());
        return r.json().getString("code");
    }

    private static By dayAt(LocalDate day) {
        return By.cssSelector("#calendar .day[data-day='" + day + "']");
    }

    /** "12月3日(木)" */
    private static String japaneseDate(LocalDate day) {
        return DateTimeFormatter.ofPattern("M月d日(E)", Locale.JAPANESE).format(day);
    }

    /** The accessible name Chromium gives the element (its parts may be joined by spaces: they are left out). */
    private static String name(WebElement e) {
        return e.getAccessibleName().replaceAll("\\s+", "");
    }

    /** The English name, spaces kept (one each). */
    private static String englishName(WebElement e) {
        return e.getAccessibleName().replaceAll("\\s+", " ").replace(" :", ":").replace("( ", "(").trim();
    }

    private String text(WebElement e) {
        return ((String) browser.js("return arguments[0].textContent", e)).replaceAll("\\s+", "");
    }

    private void open(String query) {
        browser.driver.manage().deleteAllCookies();
        browser.driver.get(service.base() + "/" + query);
        browser.until(d -> "true".equals(browser.js("return document.body.dataset.ready || ''")));
    }

    private static void fill(long notice, String era, String year, String month, String day) {
        for (String id : List.of("notice", "birth-year", "birth-month", "birth-day")) {
            byId(id).clear();
        }
        byId("notice").sendKeys(Long.toString(notice));
        new Select(byId("birth-era")).selectByValue(era);
        byId("birth-year").sendKeys(year);
        byId("birth-month").sendKeys(month);
        byId("birth-day").sendKeys(day);
    }

    private static void verifyAs(long notice) {
        shown("view-start");
        fill(notice, "western", Integer.toString(BIRTH.getYear()), Integer.toString(BIRTH.getMonthValue()),
                Integer.toString(BIRTH.getDayOfMonth()));
        byId("verify-submit").click();
    }

    private static WebElement byId(String id) {
        return browser.byId(id);
    }

    private static void shown(String id) {
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    }

    @SuppressWarnings("unchecked")
    private void checkPage(String lang) {
        List<String> problems = (List<String>) browser.js(a11yCheck, lang);
        assertTrue(problems.isEmpty(), "accessibility problems in " + testName + ": " + problems);
        String state = "resident-help-" + testName + "-" + (++checks);
        Axe.check(browser, state);
        Axe.checkReflow(browser, state);
    }

    private void screenshot(String step) throws IOException {
        browser.screenshot(testName + "-" + step);
    }
}
