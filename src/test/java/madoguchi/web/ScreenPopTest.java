package madoguchi.web;

import madoguchi.Application;
import madoguchi.support.Browser;
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

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operators take queued calls through the service: the operator's phone calls the operators'
 * number, is bridged to the next caller with {@code <Dial><Queue url=…>}, and the url webhook tells
 * the service who took which call — the operator's console (Chromium) pops up who is calling and
 * the call's path.
 */
class ScreenPopTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final String AUTH_TOKEN = "test-twilio-auth-token-screen-pop";
    private static final String OPERATOR_PHONE = "+819099990000";
    private static TestService service;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        int port = TestService.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("PORT", Integer.toString(port));
        env.put("PUBLIC_BASE_URL", "http://127.0.0.1:" + port);
        env.put("MADOGUCHI_DEMO", "true");
        env.put("TWILIO_ACCOUNT_SID", "ACscreenpop");
        env.put("TWILIO_AUTH_TOKEN", AUTH_TOKEN);
        env.put("MADOGUCHI_OPERATOR_PHONES", "demo-operator=" + OPERATOR_PHONE);
        service = TestService.start(TestDatabase.fresh(), env, Clock.systemUTC());
        LocalDate day = LocalDate.now(TOKYO).plusDays(3);
        service.siteWithOneSlot("pop", day, 1, 2);
        service.importCards("pop", 8_600_000_001L, 1);
        TestService.Response imported = service.post("/api/v1/admin/cards/import", TestService.ADMIN_TOKEN,
                "noticeNumber,birthDate,phone,siteId,state\n8600000002,1950-02-03,+819055550001,pop,ready\n");
        assertEquals(200, imported.status(), imported.toString());
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

    /** The operator's phone calls the operators' number and takes the next caller, who is {@code caller}. */
    private static void operatorTakes(PhoneCall caller, int waited) {
        PhoneCall operatorPhone = new PhoneCall(service.base(), AUTH_TOKEN, OPERATOR_PHONE);
        Twiml dial = operatorPhone.post("/twilio/voice/operator", operatorPhone.params()).twiml();
        assertEquals("madoguchi-operators", dial.one("Queue").getTextContent().trim(), dial.xml);
        String url = operatorPhone.relative(dial.one("Queue").getAttribute("url"));
        // Twilio fetches the url for the dequeued caller, naming the operator's call
        Map<String, String> p = caller.params();
        p.put("QueueSid", "QUtest");
        p.put("QueueTime", Integer.toString(waited));
        p.put("DequeingCallSid", operatorPhone.sid);
        Twiml toCaller = caller.post(url, p).twiml();
        assertTrue(toCaller.text().contains("オペレーターにおつなぎします"), toCaller.xml);
    }

    @Test
    void aBridgedCallPopsUpOnTheOperatorsConsoleWithTheVerifiedCardAndThePath() {
        browser.driver.get(service.base() + "/console");
        WebElement user = browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-name")));
        user.sendKeys("demo-operator");
        browser.byId("login-password").sendKeys(Application.DEMO_OPERATOR_PASSWORD);
        browser.byId("login-submit").click();
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));

        // a caller verifies, hears a free slot, and presses 0 for an operator
        PhoneCall caller = new PhoneCall(service.base(), AUTH_TOKEN, "+819011110001");
        caller.dial();
        caller.press("1");
        caller.press("1");
        caller.press("8600000001");
        caller.press("19800101");
        Twiml queued = caller.press("0");
        assertTrue(queued.has("Enqueue"), queued.xml);
        operatorTakes(caller, 37);

        WebElement pop = browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("screen-pop")));
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("screen-pop"), "8600000001"));
        String text = pop.getText();
        assertTrue(text.contains("Card the caller verified"), text);
        assertTrue(text.contains("pressed 0"), text);
        assertTrue(text.contains("37s"), text);
        assertTrue(text.contains("book_verify:ok"), "the path shows what the caller tried: " + text);
        assertTrue(text.contains("+819011110001"), text);
        madoguchi.support.Axe.check(browser, "screen-pop-verified");
        madoguchi.support.Axe.checkReflow(browser, "screen-pop-verified");
        pop.findElement(By.tagName("button")).click();

        // a caller who did not verify: the cards registered with the calling number
        PhoneCall other = new PhoneCall(service.base(), AUTH_TOKEN, "+819055550001");
        other.dial();
        other.press("1");
        other.press("0");
        operatorTakes(other, 5);
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("screen-pop"), "8600000002"));
        String second = browser.byId("screen-pop").getText();
        assertTrue(second.contains("Cards registered with this number"), second);
        assertTrue(second.contains("menu"), second);
        madoguchi.support.Axe.check(browser, "screen-pop-number");
        madoguchi.support.Axe.checkReflow(browser, "screen-pop-number");
        assertEquals(java.util.List.of(), browser.consoleErrors(), "no script errors");
    }

    @Test
    void aPhoneNotRegisteredAsAnOperatorsIsNotPutThrough() {
        PhoneCall stranger = new PhoneCall(service.base(), AUTH_TOKEN, "+819012340000");
        Twiml answer = stranger.post("/twilio/voice/operator", stranger.params()).twiml();
        assertTrue(answer.has("Hangup"), answer.xml);
        assertTrue(!answer.has("Dial"), answer.xml);
    }
}
