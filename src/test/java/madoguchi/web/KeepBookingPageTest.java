package madoguchi.web;

import io.vertx.core.json.JsonObject;
import madoguchi.support.Axe;
import madoguchi.support.Browser;
import madoguchi.support.FakeTwilioApi;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a resident keeps a web booking with, in a real Chromium against the whole service: the SMS
 * confirmation through the local fake of Twilio's REST API (and none when the box is unticked), the
 * .ics file downloaded from the page's link and read back as iCalendar, the Google Calendar link's
 * parameters, the printed page, the site's access notes written by an administrator, and the call
 * center's number and hours under the page. axe-core runs on every state added.
 */
class KeepBookingPageTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final String SITE = "keeptest";
    private static final long CARDS = 3_200_000_001L;
    private static final LocalDate BIRTH = LocalDate.of(1980, 1, 1);
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC);

    private static FakeTwilioApi twilio;
    private static TestService service;
    private static Browser browser;
    private static LocalDate day;
    private static Path downloads;

    @BeforeAll
    static void start() throws Exception {
        twilio = new FakeTwilioApi();
        int port = TestService.freePort();
        service = TestService.start(TestDatabase.fresh(), Map.of(
                "PORT", Integer.toString(port),
                "PUBLIC_BASE_URL", "http://127.0.0.1:" + port,
                "TWILIO_ACCOUNT_SID", "ACkeep",
                "TWILIO_AUTH_TOKEN", "keep-secret",
                "TWILIO_FROM_NUMBER", "+81445550000",
                "TWILIO_API_BASE_URL", twilio.baseUrl(),
                "MADOGUCHI_CALL_CENTER_NUMBER", "044-200-3939",
                "MADOGUCHI_CALL_CENTER_HOURS", "Mon-Fri 08:30-17:15",
                "MADOGUCHI_VERIFY_PER_ADDRESS_PER_MINUTE", "1000"), Clock.systemUTC());
        day = LocalDate.now(TOKYO).plusDays(3);
        assertEquals(201, service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new JsonObject().put("id", SITE)
                .put("name", new JsonObject().put("ja", "川崎区役所").put("en", "Kawasaki Ward Office")).put("kind", "ward")
                .put("address", new JsonObject().put("ja", "川崎市川崎区東田町8").put("en", "8 Higashida-cho, Kawasaki-ku, Kawasaki"))).status());
        assertEquals(200, service.put("/api/v1/admin/sites/" + SITE + "/capacity", TestService.ADMIN_TOKEN, new JsonObject()
                .put("from", day.toString()).put("to", day.toString()).put("startTime", "10:00").put("endTime", "11:00")
                .put("counters", 1).put("perCounter", 1)).status());
        // four cards: three with a mobile number in the card file (national or E.164, as imported), one with none
        String csv = "noticeNumber,birthDate,phone,siteId,state\n"
                + CARDS + ",1980-01-01,08000193084," + SITE + ",ready\n"
                + (CARDS + 1) + ",1980-01-01,09012345678," + SITE + ",ready\n"
                + (CARDS + 2) + ",1980-01-01,," + SITE + ",ready\n"
                + (CARDS + 3) + ",1980-01-01,+817011112222," + SITE + ",ready\n";
        assertEquals(4, service.post("/api/v1/admin/cards/import", TestService.ADMIN_TOKEN, csv).json().getInteger("imported"));
        // the administrator writes how to get there (the admin API, audited)
        assertEquals(200, service.put("/api/v1/admin/sites/" + SITE + "/access", TestService.ADMIN_TOKEN, new JsonObject()
                .put("station", new JsonObject().put("ja", "京急川崎駅から徒歩5分").put("en", "5 min walk from Keikyu Kawasaki Station"))
                .put("parking", new JsonObject().put("ja", "駐車場はありません").put("en", "No parking"))
                .put("floor", new JsonObject().put("ja", "1階 区民課").put("en", "1st floor, Residents' Section"))).status());
        browser = Browser.start();
        downloads = Files.createTempDirectory("madoguchi-downloads-");
        browser.driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (service != null) {
            service.close();
        }
        if (twilio != null) {
            twilio.close();
        }
    }

    @BeforeEach
    void fresh() {
        browser.driver.manage().window().setSize(new Dimension(1280, 1000));
        browser.driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", ""));
        browser.consoleErrors();
    }

    @AfterEach
    void noScriptErrors() {
        assertEquals(List.of(), browser.consoleErrors(), "errors in the browser console");
    }

    @Test
    void aWebBookingIsConfirmedBySmsWithItsCodeAndKeptWithCalendarPrintAndDirections() throws Exception {
        browser.driver.manage().window().setSize(new Dimension(390, 844));
        open("");
        // the footer: the call center's number and hours, from the configuration
        WebElement footer = browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("keep-call-center")));
        assertEquals("お問い合わせ: コールセンター 044-200-3939　受付時間 月〜金 8:30〜17:15、祝日 休み", footer.getText());
        verify(CARDS);

        // the site's access notes with the site, as the administrator wrote them
        WebElement access = browser.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#keep-site .keep-access")));
        assertTrue(access.getText().contains("京急川崎駅から徒歩5分"), access.getText());
        assertTrue(access.getText().contains("1階 区民課"), access.getText());
        Axe.check(browser, "keep-calendar-access");
        pickSlot("10:00");

        WebElement box = browser.until(ExpectedConditions.presenceOfElementLocated(By.id("keep-sms")));
        assertTrue(box.isSelected(), "ticked by default when the card has a mobile number");
        String label = browser.driver.findElement(By.cssSelector("label[for='keep-sms']")).getText();
        assertEquals("予約確認のSMSを受け取る（080-****-3084）", label, "the number masked");
        Axe.check(browser, "keep-confirm-sms");

        browser.byId("book").click();
        shown("view-done");
        String code = browser.byId("done-code").getText().replace(" ", "");
        FakeTwilioApi.Sent sms = twilio.awaitSentTo("+818000193084");
        assertTrue(sms.form().get("Body").contains("予約番号 " + code), sms.form().get("Body"));
        assertTrue(sms.form().get("Body").startsWith("【川崎市】マイナンバーカード受取のご予約を承りました: "), sms.form().get("Body"));
        assertEquals("予約番号と日時をSMSで 080-****-3084 にお送りします。",
                browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("keep-sms-sent"))).getText());

        // the .ics link: downloaded as the resident would, and read back as iCalendar
        WebElement ics = browser.until(d -> {
            WebElement a = d.findElement(By.id("keep-ics"));
            return a.getAttribute("href") != null && a.getAttribute("aria-disabled") == null ? a : null;
        });
        Axe.check(browser, "keep-done");
        ics.click();
        Path file = downloads.resolve("booking-" + code + ".ics");
        // the file is there once Chromium has written all of it
        browser.until(d -> {
            try {
                return Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).endsWith("END:VCALENDAR\r\n");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Map<String, String> p = calendar(text);
        ZonedDateTime start = ZonedDateTime.of(day, java.time.LocalTime.of(10, 0), TOKYO);
        assertEquals(UTC.format(start), p.get("DTSTART"));
        assertEquals(UTC.format(start.plusMinutes(15)), p.get("DTEND"));
        assertEquals("booking-" + code + "@127.0.0.1", p.get("UID"));
        assertNotNull(p.get("DTSTAMP"));
        assertEquals("マイナンバーカードの受け取り（川崎区役所）", p.get("SUMMARY"));
        assertEquals("川崎区役所\\, 川崎市川崎区東田町8", p.get("LOCATION"));
        assertTrue(p.get("DESCRIPTION").contains("予約番号 " + code), p.get("DESCRIPTION"));

        // the Google Calendar link: the same entry as the file
        URI google = URI.create(browser.byId("keep-google").getAttribute("href"));
        assertEquals("calendar.google.com", google.getHost());
        assertEquals("/calendar/render", google.getPath());
        Map<String, String> q = query(google.getRawQuery());
        assertEquals("TEMPLATE", q.get("action"));
        assertEquals(UTC.format(start) + "/" + UTC.format(start.plusMinutes(15)), q.get("dates"));
        assertEquals("マイナンバーカードの受け取り（川崎区役所）", q.get("text"));
        assertEquals("川崎区役所, 川崎市川崎区東田町8", q.get("location"));
        assertTrue(q.get("details").contains(code), q.get("details"));
        assertEquals("Asia/Tokyo", q.get("ctz"));

        // printed: the city's name, the code, the time and the site stay; buttons go
        browser.driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", "print"));
        assertTrue(browser.driver.findElement(By.cssSelector("header .city")).isDisplayed(), "the city's name is printed");
        assertEquals("川崎市", browser.driver.findElement(By.cssSelector("header .city")).getText());
        assertTrue(browser.byId("done-code").isDisplayed());
        String details = browser.byId("done-details").getText();
        assertTrue(details.contains("10:00") && details.contains("川崎区役所"), details);
        assertTrue(browser.byId("keep-done").findElement(By.cssSelector(".keep-access")).isDisplayed(), "how to get there is printed");
        assertFalse(browser.byId("keep-print").isDisplayed(), "the buttons are not printed");
        assertFalse(browser.byId("lang-switch").isDisplayed());
        browser.driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", ""));
        assertTrue(browser.byId("keep-print").isDisplayed());
    }

    @Test
    void anUntickedBoxSendsNoSmsAndTheChoiceIsKeptForTheCancellation() throws Exception {
        open("?lang=en");
        verify(CARDS + 1);
        pickSlot("10:15");
        WebElement box = browser.until(ExpectedConditions.presenceOfElementLocated(By.id("keep-sms")));
        assertEquals("Send me an SMS confirmation (090-****-5678)",
                browser.driver.findElement(By.cssSelector("label[for='keep-sms']")).getText());
        box.click();
        assertFalse(box.isSelected());
        browser.byId("book").click();
        shown("view-done");
        String code = browser.byId("done-code").getText().replace(" ", "");
        assertTrue(browser.driver.findElements(By.id("keep-sms-sent")).isEmpty(), "no word of an SMS that is not sent");

        String token = service.verify(CARDS + 1);
        assertEquals(new JsonObject().put("mobile", "090-****-5678").put("sms", false),
                service.get("/api/v1/residents/me/notices", token).json(), "kept before the booking was answered");
        // the resident cancels (no choice is sent with a cancellation: the kept one holds)
        assertEquals(200, service.delete("/api/v1/bookings/" + code, token).status());
        // then a card that never chose books (no choice sent: it gets its confirmation), and its message is awaited:
        // the unticked card's booking and cancellation were answered before it, and would have been sent before it
        String other = service.verify(CARDS + 3);
        assertEquals(201, service.post("/api/v1/bookings", other, new JsonObject().put("slotId", slotAt("10:30"))).status());
        assertTrue(twilio.awaitSentTo("+817011112222").form().get("Body").contains("予約番号 "));
        assertTrue(twilio.sent().stream().noneMatch(s -> "+819012345678".equals(s.form().get("To"))),
                "nothing to the card that unticked the box");
    }

    @Test
    void theBookingViewOffersTheCalendarAndTheSmsChoiceInEnglish() throws Exception {
        String token = service.verify(CARDS + 2);
        JsonObject booked = service.post("/api/v1/bookings", token, new JsonObject().put("slotId", slotAt("10:45"))).json();
        String code = booked.getString("code");
        open("?lang=en");
        browser.byId("to-manage").click();
        shown("view-manage");
        browser.byId("code").sendKeys(code);
        browser.byId("m-notice").sendKeys(Long.toString(CARDS + 2));
        browser.byId("m-birth-year").sendKeys("1980");
        browser.byId("m-birth-month").sendKeys("1");
        browser.byId("m-birth-day").sendKeys("1");
        browser.byId("manage-submit").click();
        shown("view-booking");
        WebElement ics = browser.until(d -> {
            WebElement a = d.findElement(By.id("keep-ics"));
            return a.getAttribute("href") != null ? a : null;
        });
        assertEquals("Add to calendar (.ics file)", ics.getText());
        assertTrue(browser.driver.findElements(By.id("keep-notices")).isEmpty(), "a card without a mobile number is offered no SMS");
        WebElement access = browser.byId("keep-booking").findElement(By.cssSelector(".keep-access"));
        assertTrue(access.getText().contains("5 min walk from Keikyu Kawasaki Station"), access.getText());
        assertEquals("Questions? Call center: 044-200-3939, open Mon–Fri 8:30–17:15, holidays closed (Japan time)",
                browser.byId("keep-call-center").getText());
        Axe.check(browser, "keep-booking-en");
    }

    @Test
    void anAdministratorWritesTheAccessNotesOnTheAdminPage() {
        madoguchi.support.StaffClient.createUser(service, "keep-admin", "admin", "keep admin password!");
        browser.driver.manage().deleteAllCookies();
        browser.driver.get(service.base() + "/admin");
        WebElement user = browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-name")));
        user.sendKeys("keep-admin");
        browser.byId("login-password").sendKeys("keep admin password!");
        browser.byId("login-submit").click();
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("access-form")));
        assertEquals("会場への行き方（住民向け）", browser.byId("access-heading").getText());
        new org.openqa.selenium.support.ui.Select(browser.byId("access-site")).selectByValue(SITE);
        // the form shows the notes residents see now
        browser.until(d -> "京急川崎駅から徒歩5分".equals(browser.byId("access-station-ja").getAttribute("value")));
        WebElement map = browser.byId("access-map");
        map.clear();
        map.sendKeys("https://maps.example.jp/kawasaki-ward-office");
        WebElement parking = browser.byId("access-parking-ja");
        parking.clear();
        parking.sendKeys("庁舎の駐車場（30分まで無料）");
        Axe.check(browser, "keep-admin-access");
        browser.byId("access-save").click();
        browser.until(d -> browser.byId("status").getText().contains(SITE));

        JsonObject access = null;
        for (Object o : service.get("/api/v1/sites", null).array()) {
            if (SITE.equals(((JsonObject) o).getString("id"))) {
                access = ((JsonObject) o).getJsonObject("access");
            }
        }
        assertNotNull(access);
        assertEquals("https://maps.example.jp/kawasaki-ward-office", access.getString("mapUrl"));
        assertEquals("庁舎の駐車場（30分まで無料）", access.getJsonObject("parking").getString("ja"));
        assertEquals("No parking", access.getJsonObject("parking").getString("en"), "the fields left alone are kept");
        assertEquals("京急川崎駅から徒歩5分", access.getJsonObject("station").getString("ja"));
        var audit = service.get("/api/v1/admin/audit?action=site.access&actor=keep-admin", TestService.ADMIN_TOKEN).json().getJsonArray("entries");
        assertEquals(1, audit.size(), "audited, with who saved it");
        assertEquals("駐車場はありません", audit.getJsonObject(0).getJsonObject("before").getJsonObject("parking").getString("ja"));
    }

    // ------------------------------------------------------------------------------- helpers

    private static void open(String query) {
        browser.driver.manage().deleteAllCookies();
        browser.driver.get(service.base() + "/" + query);
        browser.until(d -> "true".equals(browser.js("return document.body.dataset.ready || ''")));
    }

    private static void verify(long notice) {
        browser.byId("notice").sendKeys(Long.toString(notice));
        browser.byId("birth-year").sendKeys(Integer.toString(BIRTH.getYear()));
        browser.byId("birth-month").sendKeys(Integer.toString(BIRTH.getMonthValue()));
        browser.byId("birth-day").sendKeys(Integer.toString(BIRTH.getDayOfMonth()));
        browser.byId("verify-submit").click();
        shown("view-calendar");
    }

    private static void pickSlot(String hm) {
        browser.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#calendar button.day[data-day='" + day + "']"))).click();
        browser.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#slot-list button.slot[data-slot-id='" + slotAt(hm) + "']")))
                .click();
        shown("view-confirm");
    }

    private static long slotAt(String hm) {
        for (Object o : service.get("/api/v1/sites/" + SITE + "/availability?from=" + day + "&to=" + day, null).array()) {
            JsonObject s = (JsonObject) o;
            if (s.getString("start").contains("T" + hm)) {
                return s.getLong("slotId");
            }
        }
        throw new AssertionError("no slot at " + hm);
    }

    private static void shown(String id) {
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    }

    /** The file's properties, unfolded; it must be CRLF-ended with lines of at most 75 octets and one VEVENT. */
    private static Map<String, String> calendar(String text) {
        assertTrue(text.startsWith("BEGIN:VCALENDAR\r\n") && text.endsWith("END:VCALENDAR\r\n"), text);
        assertEquals(-1, text.replace("\r\n", "").indexOf('\n'), "CRLF line endings only");
        for (String line : text.split("\r\n")) {
            assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= 75, "folded: " + line);
        }
        String unfolded = text.replace("\r\n ", "");
        assertEquals(1, unfolded.split("BEGIN:VEVENT", -1).length - 1, "one event");
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : unfolded.split("\r\n")) {
            int colon = line.indexOf(':');
            out.putIfAbsent(line.substring(0, colon), line.substring(colon + 1));
        }
        assertEquals("2.0", out.get("VERSION"));
        return out;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
