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
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Element;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The corpus of what callers really key and say ({@code src/test/resources/phone/callers.tsv}, one
 * utterance a line), each played in its own call through the real webhooks: the call is taken to
 * the line's state, the utterance is sent, and the TwiML (parsed as XML) must be the expected
 * state's question. Adding a line is all it takes to add a case.
 */
class CallerCorpusTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    /** A Thursday; the clock stands three days before it. */
    private static final LocalDate DAY = LocalDate.of(2026, 12, 3);
    private static final String AUTH_TOKEN = "test-twilio-auth-token-corpus-0123";
    private static final String SITE = "corpus";
    private static final long FIRST_NOTICE = 7_500_000_000L;
    private static final int CARDS = 300;
    private static final AtomicLong NOTICE = new AtomicLong(FIRST_NOTICE);
    private static final AtomicLong PHONE = new AtomicLong(90_3000_0000L);
    private static final Flow FLOW = Flow.load(Path.of("ivr-flows"));

    private static FakeTwilioApi twilioApi;
    private static TestService service;

    /** One line of the corpus. */
    record Utterance(int line, String language, String at, String input, String expected, String heard) {
        @Override
        public String toString() {
            return "line " + line + ": [" + language + "] at " + at + ", " + input + " → " + expected
                    + (heard == null ? "" : " (hears \"" + heard + "\")");
        }
    }

    @BeforeAll
    static void start() throws Exception {
        twilioApi = new FakeTwilioApi();
        int port = TestService.freePort();
        service = TestService.start(TestDatabase.fresh(), Map.of(
                "PORT", Integer.toString(port),
                "PUBLIC_BASE_URL", "http://127.0.0.1:" + port,
                "TWILIO_ACCOUNT_SID", "ACtestcorpus0123",
                "TWILIO_AUTH_TOKEN", AUTH_TOKEN,
                "TWILIO_FROM_NUMBER", "+81445550000",
                "TWILIO_API_BASE_URL", twilioApi.baseUrl()),
                new MutableClock(DAY.minusDays(3).atStartOfDay(TOKYO).toInstant()));
        TestService.Response r = service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new JsonObject().put("id", SITE)
                .put("name", new JsonObject().put("ja", "コーパス会場").put("en", "Corpus Site"))
                .put("kind", "popup").put("address", "川崎市"));
        assertEquals(201, r.status(), r.toString());
        r = service.put("/api/v1/admin/sites/" + SITE + "/capacity", TestService.ADMIN_TOKEN, new JsonObject()
                .put("from", DAY.toString()).put("to", DAY.plusDays(1).toString()).put("startTime", "09:00").put("endTime", "19:00")
                .put("counters", 4).put("perCounter", 50));
        assertEquals(200, r.status(), r.toString());
        service.importCards(SITE, FIRST_NOTICE, CARDS);
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

    static List<Utterance> corpus() throws IOException {
        List<Utterance> out = new ArrayList<>();
        try (InputStream in = CallerCorpusTest.class.getResourceAsStream("/phone/callers.tsv")) {
            assertNotNull(in, "src/test/resources/phone/callers.tsv");
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i].strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] f = lines[i].split("\t");
                if (f.length < 4 || f.length > 5) {
                    fail("callers.tsv line " + (i + 1) + ": expected 4 or 5 tab-separated fields, got: " + lines[i]);
                }
                out.add(new Utterance(i + 1, f[0].strip(), f[1].strip(), f[2].strip(), f[3].strip(), f.length == 5 ? f[4].strip() : null));
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyRecordedUtteranceRoutesAsExpected() throws IOException {
        List<Utterance> corpus = corpus();
        assertTrue(corpus.size() >= 60, "at least 60 utterances, got " + corpus.size());
        assertTrue(corpus.stream().anyMatch(u -> u.input().startsWith("key:")) && corpus.stream().anyMatch(u -> u.input().startsWith("say:")));
        assertTrue(corpus.stream().anyMatch(u -> u.language().equals("ja")) && corpus.stream().anyMatch(u -> u.language().equals("en")));
        return corpus.stream().map(u -> DynamicTest.dynamicTest(u.toString(), () -> play(u)));
    }

    private static void play(Utterance u) {
        long notice = NOTICE.getAndIncrement();
        assertTrue(notice < FIRST_NOTICE + CARDS, "more corpus lines than cards imported");
        PhoneCall call = new PhoneCall(service.base(), AUTH_TOKEN, "+81" + PHONE.getAndIncrement());
        try {
            Twiml at = reach(call, u, notice);
            assertIs(at, u.at(), u.language(), "the call reached the line's state");
            String input = u.input().replace("{notice}", Long.toString(notice));
            Twiml answer;
            if (input.startsWith("key:")) {
                answer = call.press(input.substring(4));
            } else if (input.startsWith("say:")) {
                answer = call.say(input.substring(4));
            } else if (input.equals("silence")) {
                answer = call.silence();
            } else {
                throw new AssertionError("line " + u.line() + ": input must be key:…, say:… or silence, got " + input);
            }
            assertIs(answer, u.expected(), u.language(), u.toString());
            if (u.heard() != null) {
                assertTrue(answer.text().contains(u.heard()), u + "\n" + answer.xml);
            }
        } finally {
            call.hangUp();
        }
    }

    /** Takes the call to the line's state by the keypad. */
    private static Twiml reach(PhoneCall call, Utterance u, long notice) {
        String lang = u.language().equals("en") ? "2" : "1";
        List<String> keys = switch (u.at()) {
            case "greeting" -> List.of();
            case "menu" -> List.of(lang);
            case "book_notice" -> List.of(lang, "1");
            case "manage_notice" -> List.of(lang, "2");
            case "book_birth" -> List.of(lang, "1", Long.toString(notice));
            case "book_choice" -> List.of(lang, "1", Long.toString(notice), "19800101");
            case "book_day_ask" -> List.of(lang, "1", Long.toString(notice), "19800101", "2");
            case "book_part_ask" -> List.of(lang, "1", Long.toString(notice), "19800101", "3");
            case "booked_texted" -> List.of(lang, "1", Long.toString(notice), "19800101", "1");
            default -> throw new AssertionError("line " + u.line() + ": the test cannot take a call to '" + u.at() + "' yet");
        };
        Twiml t = call.dial();
        for (String k : keys) {
            t = call.press(k);
        }
        return t;
    }

    /**
     * The answer is {@code expected}'s question: one {@code <Say>} is its prompt (placeholders
     * filled with anything), and the answer ends as that kind of state does.
     */
    private static void assertIs(Twiml t, String expected, String language, String what) {
        Flow.State s = FLOW.state(expected);
        String prompt = s != null ? s.prompt() : expected;
        String lang = s != null && s.bilingual() ? "en" : language;
        String template = FLOW.prompt(lang, prompt);
        assertNotNull(template, what + ": '" + expected + "' is neither a state nor a prompt of the flow");
        Pattern p = template(template);
        boolean said = false;
        for (Element say : t.says()) {
            said |= p.matcher(say.getTextContent()).matches();
        }
        assertTrue(said, what + ": expected '" + expected + "' (" + template + ")\n" + t.xml);
        String type = s == null ? "gather" : s.type();
        switch (type) {
            case "gather" -> assertNotNull(t.gather(), what + "\n" + t.xml);
            case "enqueue" -> assertEquals(FLOW.operatorQueue, t.enqueue().getTextContent().trim(), what);
            case "hangup" -> assertTrue(t.has("Hangup"), what + "\n" + t.xml);
            default -> fail(what + ": a call rests only at a gather, an enqueue or a hangup, not a " + type);
        }
        assertFalse(t.has("Enqueue") && !"enqueue".equals(type), what + ": put through unexpectedly\n" + t.xml);
    }

    private static Pattern template(String template) {
        StringBuilder re = new StringBuilder();
        String[] pieces = template.split("\\{[a-zA-Z]+}", -1);
        for (int i = 0; i < pieces.length; i++) {
            if (i > 0) {
                re.append("\\s*.*?\\s*");
            }
            if (!pieces[i].isBlank()) {
                re.append(Pattern.quote(pieces[i].strip()));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
