package madoguchi.telephony;

import io.vertx.core.json.JsonObject;
import madoguchi.support.FakeTwilioApi;
import madoguchi.support.MutableClock;
import madoguchi.support.PhoneCall;
import madoguchi.support.PhoneCall.Twiml;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How long a first-time caller listens to book by keypad: a whole call through the real webhooks
 * (language, menu, notice number, birth date, take the earliest time: 5 inputs), every {@code <Say>}
 * of every answer up to and including the booking read back with its code, timed as characters ÷
 * speaking rate plus the digits read one by one and the pauses. The figures go to BENCHMARKS.md.
 * <p>
 * Speaking rates (assumed, not measured on Twilio): Japanese {@value #JA_CHARS_PER_SECOND}
 * characters a second (kana and kanji, punctuation not counted: about 420 a minute, the pace of a
 * brisk announcement), English {@value #EN_CHARS_PER_SECOND} characters a second (letters,
 * spaces and punctuation: about 170 words a minute); a digit read alone
 * {@value #SECONDS_PER_DIGIT} s; each SSML break as long as it says.
 */
class KeypadBookingBudgetTest {
    static final double JA_CHARS_PER_SECOND = 7.0;
    static final double EN_CHARS_PER_SECOND = 15.0;
    static final double SECONDS_PER_DIGIT = 0.3;
    private static final int MAX_INPUTS = 5;
    private static final double MAX_SECONDS = 60.0;
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final LocalDate DAY = LocalDate.of(2026, 12, 3);
    private static final String AUTH_TOKEN = "test-twilio-auth-token-budget-0123";

    private static FakeTwilioApi twilioApi;
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        twilioApi = new FakeTwilioApi();
        int port = TestService.freePort();
        service = TestService.start(TestDatabase.fresh(), Map.of(
                "PORT", Integer.toString(port),
                "PUBLIC_BASE_URL", "http://127.0.0.1:" + port,
                "TWILIO_ACCOUNT_SID", "ACtestbudget0123",
                "TWILIO_AUTH_TOKEN", AUTH_TOKEN,
                "TWILIO_FROM_NUMBER", "+81445550000",
                "TWILIO_API_BASE_URL", twilioApi.baseUrl()),
                new MutableClock(DAY.minusDays(3).atStartOfDay(TOKYO).toInstant()));
        // a site name of ordinary length, as the city's sites are named
        assertEquals(201, service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new JsonObject().put("id", "budget")
                .put("name", new JsonObject().put("ja", "川崎区役所").put("en", "Kawasaki Ward Office"))
                .put("kind", "popup").put("address", "川崎市")).status());
        assertEquals(200, service.put("/api/v1/admin/sites/budget/capacity", TestService.ADMIN_TOKEN, new JsonObject()
                .put("from", DAY.toString()).put("to", DAY.toString()).put("startTime", "14:15").put("endTime", "15:00")
                .put("counters", 1).put("perCounter", 5)).status());
        service.importCards("budget", 7_600_000_001L, 2);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (twilioApi != null) {
            twilioApi.close();
        }
    }

    /** The seconds one answer takes to say, and its characters (digits read alone not counted). */
    record Said(double seconds, int characters, int digits, int pauses) {
    }

    static Said time(Twiml t) {
        double seconds = 0;
        int chars = 0;
        int digits = 0;
        int pauses = 0;
        for (Element say : t.says()) {
            boolean ja = "ja-JP".equals(say.getAttribute("language"));
            NodeList parts = say.getChildNodes();
            for (int i = 0; i < parts.getLength(); i++) {
                Node n = parts.item(i);
                if (n.getNodeType() == Node.TEXT_NODE) {
                    String text = n.getTextContent();
                    int c = ja ? text.replaceAll("[\\s、。・「」（）]", "").length() : text.strip().length();
                    chars += c;
                    seconds += c / (ja ? JA_CHARS_PER_SECOND : EN_CHARS_PER_SECOND);
                } else if ("say-as".equals(n.getNodeName())) {
                    digits += n.getTextContent().length();
                    seconds += n.getTextContent().length() * SECONDS_PER_DIGIT;
                } else if ("break".equals(n.getNodeName())) {
                    pauses++;
                    seconds += Integer.parseInt(((Element) n).getAttribute("time").replace("ms", "")) / 1000.0;
                }
            }
        }
        return new Said(seconds, chars, digits, pauses);
    }

    private static List<Said> book(String language, long notice) {
        PhoneCall call = new PhoneCall(service.base(), AUTH_TOKEN, "+8190" + notice % 100_000_000L);
        List<String> inputs = List.of("ja".equals(language) ? "1" : "2", "1", Long.toString(notice), "19800101", "1");
        assertTrue(inputs.size() <= MAX_INPUTS);
        List<Said> said = new ArrayList<>();
        Twiml t = call.dial();
        said.add(time(t));
        for (String keys : inputs) {
            t = call.press(keys);
            said.add(time(t));
        }
        assertTrue(t.text().contains("ja".equals(language) ? "でご予約を承りました" : "Your appointment is booked"), t.xml);
        assertNotNull(t.gather(), "the booking read back, 9 to hear it again");
        call.hangUp();
        return said;
    }

    @Test
    void aKeypadBookingTakesFiveInputsAndAtMostAMinuteOfPromptsInBothLanguages() {
        StringBuilder report = new StringBuilder();
        long notice = 7_600_000_001L;
        for (String language : List.of("ja", "en")) {
            List<Said> said = book(language, notice++);
            double total = said.stream().mapToDouble(Said::seconds).sum();
            report.append(String.format("%s: %d inputs, %.1f s of prompts (%d characters, %d digits read alone, %d pauses); per answer:",
                    language, said.size() - 1, total, said.stream().mapToInt(Said::characters).sum(),
                    said.stream().mapToInt(Said::digits).sum(), said.stream().mapToInt(Said::pauses).sum()));
            said.forEach(s -> report.append(String.format(" %.1f", s.seconds())));
            report.append('\n');
            assertTrue(total <= MAX_SECONDS, language + ": " + report);
        }
        System.out.print("keypad booking budget\n" + report);
    }
}
