package madoguchi.web;

import io.vertx.core.json.JsonObject;
import madoguchi.support.Axe;
import madoguchi.support.Browser;
import madoguchi.support.StaffClient;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The staff pages around the console in a real Chromium: an administrator lists staff users,
 * disables one (whose open session ends at once) and resets another's password (shown once, and
 * it signs in); an operator reads the failed texts and reminder calls in words; an administrator
 * signed in on the staff pages opens the reports in English with no token. Every state is checked
 * with axe-core and for reflow at 320 px / 200 % text. Screenshots: target/screenshots/staff-*.png.
 */
class StaffAdminPagesTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static TestService service;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of(), Clock.systemUTC());
        StaffClient.createUser(service, "pages-admin", "admin", "admin password 1");
        StaffClient.createUser(service, "pages-op", "operator", "operator password 1");
        StaffClient.createUser(service, "pages-op2", "operator", "operator password 2");
        service.siteWithOneSlot("reportsite", LocalDate.now(TOKYO).plusDays(2), 1, 1); // a site for the reports' rows
        browser = Browser.start("en-US,en");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (service != null) {
            service.close();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.driver.get(service.base() + "/console?lang=en");
        browser.driver.manage().deleteAllCookies();
    }

    private void signIn(String path, String name, String password) {
        browser.driver.get(service.base() + path);
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-name"))).sendKeys(name);
        browser.byId("login-password").sendKeys(password);
        browser.byId("login-submit").click();
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));
    }

    private static void checked(String state) {
        Axe.check(browser, state);
        Axe.checkReflow(browser, state);
    }

    private String textOf(String css) {
        return (String) browser.js("var e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css);
    }

    private static void sql(String statement) {
        try (Connection c = TestDatabase.connect(service.database); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long bookingId(String code) {
        try (Connection c = TestDatabase.connect(service.database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM bookings WHERE code = '" + code + "'")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anAdministratorListsDisablesAndResetsStaffUsers() throws Exception {
        // an operator is signed in elsewhere: disabling them ends that session at once
        StaffClient elsewhere = new StaffClient(service.base());
        elsewhere.login("pages-op", "operator password 1");

        signIn("/admin/users?lang=en", "pages-admin", "admin password 1");
        browser.until(d -> textOf("#users-list tr[data-user='pages-op']") != null);
        assertEquals("Staff users", textOf("h1"));
        assertEquals("operator", textOf("#users-list tr[data-user='pages-op'] td:nth-of-type(1)"));
        assertEquals("active", textOf("#users-list tr[data-user='pages-op'] .user-state"));
        // this one, and any the other tests left open
        String sessions = textOf("#users-list tr[data-user='pages-op'] .user-sessions");
        assertTrue(Integer.parseInt(sessions) >= 1, sessions);
        assertEquals("API token only", textOf("#users-list tr[data-user='bootstrap'] td:nth-of-type(3)"));
        // no way to disable oneself
        assertEquals(0L, browser.js("return document.querySelectorAll(\"#users-list tr[data-user='pages-admin'] .user-disable\").length;"));
        assertTrue(textOf("#users-list tr[data-user='pages-admin'] th").endsWith("(you)"));
        checked("staff-users-list");
        browser.screenshot("staff-users-list");

        browser.driver.findElement(By.cssSelector("#users-list tr[data-user='pages-op'] .user-disable")).click();
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
        assertEquals("Disable pages-op?", textOf("#confirm-heading"));
        checked("staff-users-confirm-disable");
        browser.byId("confirm-reason").sendKeys("left the call center");
        browser.byId("confirm-ok").click();
        browser.until(d -> d.findElement(By.id("status")).getText().equals("pages-op disabled (" + sessions + " sign-ins ended)."));
        browser.until(d -> "disabled".equals(textOf("#users-list tr[data-user='pages-op'] .user-state")));
        assertEquals(401, elsewhere.send("GET", "/api/v1/staff/me", null, false).status(), "their session ended at once");
        checked("staff-users-disabled");

        // a reset shows the new password once; it signs in, the old one does not
        browser.driver.findElement(By.cssSelector("#users-list tr[data-user='pages-op2'] .user-reset")).click();
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
        browser.byId("confirm-ok").click();
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("users-password-value")));
        String password = browser.byId("users-password-value").getText();
        assertEquals(16, password.length(), password);
        assertEquals("New password of pages-op2", textOf("#users-password-heading"));
        checked("staff-users-password-shown");
        browser.screenshot("staff-users-password");
        new StaffClient(service.base()).login("pages-op2", password);
        assertEquals(401, new StaffClient(service.base()).send("POST", "/api/v1/staff/login",
                new JsonObject().put("name", "pages-op2").put("password", "operator password 2"), false).status());
        browser.byId("users-password-done").click();
        assertEquals("", textOf("#users-password-value"), "gone from the page");

        // enabled again
        browser.driver.findElement(By.cssSelector("#users-list tr[data-user='pages-op'] .user-enable")).click();
        browser.until(d -> "active".equals(textOf("#users-list tr[data-user='pages-op'] .user-state")));
        new StaffClient(service.base()).login("pages-op", "operator password 1");
        var audit = service.get("/api/v1/admin/audit?action=user.", TestService.ADMIN_TOKEN).json().getJsonArray("entries").encode();
        assertTrue(audit.contains("user.disable") && audit.contains("left the call center") && audit.contains("user.password_reset")
                && audit.contains("user.enable"), audit);
        assertFalse(audit.contains(password));
        assertEquals(List.of(), browser.consoleErrors(), "errors in the browser console");
    }

    @Test
    void anOperatorReadsTheFailedTextsAndRemindersCallsInWords() throws Exception {
        LocalDate day = LocalDate.now(TOKYO).plusDays(3);
        long slot = service.siteWithOneSlot("failedsite", day, 1, 2);
        service.importCards("failedsite", 8_700_000_001L, 1);
        String code = service.post("/api/v1/bookings", service.verify(8_700_000_001L), new JsonObject().put("slotId", slot)).json()
                .getString("code");
        sql("INSERT INTO sms_outbox (booking_code, phone, body, created_at, attempts, next_attempt_at, sent_at, delivery_status, delivery_error)"
                + " VALUES ('" + code + "', '+818000193084', 'x', now(), 1, now() + interval '1 year', now(), 'undelivered', 'error 30003')");
        sql("INSERT INTO sms_outbox (booking_code, phone, body, created_at, attempts, next_attempt_at, last_error)"
                + " VALUES (NULL, '+819011112222', 'x', now() - interval '1 hour', 99, now() + interval '1 year', 'error 21211')");
        sql("INSERT INTO reminder_calls (booking_id, phone, token, state, attempts, last_status, created_at, updated_at)"
                + " VALUES (" + bookingId(code) + ", '+818000193084', 't0123456789', 'failed', 3, 'no-answer', now(), now())");

        signIn("/console/failed-sms?lang=en", "pages-op", "operator password 1");
        browser.until(d -> textOf("#failed-list tbody tr") != null);
        assertEquals("Failed texts", textOf("h1"));
        assertEquals(2L, browser.js("return document.querySelectorAll('#failed-list tbody tr').length;"));
        // newest first
        assertEquals("given up after 99 tries · not a valid phone number (21211)", textOf("#failed-list tbody tr:nth-child(1) .why"));
        assertEquals("(no booking)", textOf("#failed-list tbody tr:nth-child(1) td:nth-child(3)"));
        assertEquals("not delivered · phone switched off or out of reach (30003)", textOf("#failed-list tbody tr:nth-child(2) .why"));
        assertEquals(code, textOf("#failed-list tbody tr:nth-child(2) td:nth-child(3)"));
        checked("staff-failed-sms");
        browser.screenshot("staff-failed-sms");

        browser.driver.findElement(By.cssSelector("nav a[href='/console/failed-calls']")).click();
        browser.until(d -> textOf("#failed-list tbody tr") != null);
        String youbi = day.getDayOfWeek().getDisplayName(java.time.format.TextStyle.SHORT, java.util.Locale.ENGLISH);
        assertEquals(code + " · booked", textOf("#failed-list tbody tr .booking, #failed-list tbody tr td:nth-child(3)"));
        assertEquals(day + " (" + youbi + ") 10:00 · Test site failedsite", textOf("#failed-list tbody tr td:nth-child(4)"));
        assertEquals("called 3 times · no answer", textOf("#failed-list tbody tr .why"));
        checked("staff-failed-calls");
        browser.screenshot("staff-failed-calls");

        // in Japanese, switched in place
        browser.byId("lang").click();
        browser.until(d -> "応答なし".equals(String.valueOf(textOf("#failed-list tbody tr .why")).replace("3回かけました · ", "")));
        assertEquals("ja", browser.js("return document.documentElement.lang;"));
        checked("staff-failed-calls-ja");
        assertEquals(List.of(), browser.consoleErrors(), "errors in the browser console");
    }

    @Test
    void theReportsPageUsesTheStaffSessionAndItsLanguage() throws Exception {
        signIn("/admin?lang=en", "pages-admin", "admin password 1");
        browser.driver.findElement(By.cssSelector("nav a[href='/admin/reports']")).click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Card issuance reports"));
        assertEquals("en", browser.js("return document.documentElement.lang;"));
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("auth-state"), "Signed in as pages-admin (administrator)."));
        assertFalse(browser.byId("signin-form").isDisplayed(), "no sign-in needed");
        assertFalse(browser.byId("token").isDisplayed(), "no token needed");
        assertEquals(null, browser.js("return sessionStorage.getItem('madoguchi.adminToken');"));
        // the figures came by the session
        browser.until(d -> Boolean.TRUE.equals(browser.js("return !!document.querySelector('#forecast-table tbody tr');")));
        checked("reports-en-session");
        browser.screenshot("reports-en-session");
        assertEquals(List.of(), browser.consoleErrors(), "errors in the browser console");

        // signed out: the page offers the sign-in (and the token, for scripts); signing in loads the figures
        browser.driver.manage().deleteAllCookies();
        browser.driver.get(service.base() + "/admin/reports");
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("auth-state"), "Sign in with an administrator"));
        assertEquals("en", browser.js("return document.documentElement.lang;"), "the browser's language");
        assertTrue(browser.byId("token").isDisplayed());
        checked("reports-en-signed-out");
        browser.byId("signin-name").sendKeys("pages-admin");
        browser.byId("signin-password").sendKeys("admin password 1");
        browser.byId("signin-submit").click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("auth-state"), "Signed in as pages-admin"));
        browser.until(d -> Boolean.TRUE.equals(browser.js("return !!document.querySelector('#forecast-table tbody tr');")));
        // the language choice is the staff pages' one: switched here, the console follows
        browser.byId("lang").click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "カード交付レポート"));
        browser.driver.get(service.base() + "/admin/audit");
        assertEquals("ja", browser.js("return document.documentElement.lang;"));
    }
}
