package madoguchi.telephony;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flow files are checked when read; dates and times are said the way people say them. */
class FlowTest {
    private static final Path SHIPPED = Path.of("ivr-flows");

    @Test
    void theShippedFlowLoadsFromTheRepositoryAndFromTheJarsCopy() {
        Flow fromDir = Flow.load(SHIPPED);
        Flow fromClasspath = Flow.builtIn();
        assertEquals("classpath:/ivr-flows", fromClasspath.source());
        assertEquals("ivr-flows", Flow.load(null).source(), "at the repository root ./ivr-flows is read");
        assertEquals("greeting", fromDir.initial);
        assertEquals(fromDir.states.keySet(), fromClasspath.states.keySet());
    }

    private static String broken(Consumer<JsonObject> change, String language, String missingPrompt) throws IOException {
        Path dir = Files.createTempDirectory("flow");
        Files.createDirectories(dir.resolve("prompts"));
        JsonObject flow = new JsonObject(Files.readString(SHIPPED.resolve("default.flow.json")));
        change.accept(flow);
        Files.writeString(dir.resolve("default.flow.json"), flow.encodePrettily(), StandardCharsets.UTF_8);
        for (String lang : Flow.LANGUAGES) {
            JsonObject prompts = new JsonObject(Files.readString(SHIPPED.resolve("prompts/" + lang + ".json")));
            if (lang.equals(language)) {
                prompts.remove(missingPrompt);
            }
            Files.writeString(dir.resolve("prompts/" + lang + ".json"), prompts.encode(), StandardCharsets.UTF_8);
        }
        return assertThrows(Flow.Broken.class, () -> Flow.load(dir)).getMessage();
    }

    private static JsonObject state(JsonObject flow, String name) {
        return flow.getJsonObject("states").getJsonObject(name);
    }

    @Test
    void aBrokenFlowNamesTheFileTheStateAndTheReason() throws IOException {
        String m = broken(f -> state(f, "menu").getJsonObject("choices").put("1", "nowhere"), null, null);
        assertTrue(m.contains("default.flow.json: state 'menu': 'choice 1' goes to 'nowhere', which is not a state"), m);

        m = broken(f -> state(f, "book_verify").put("action", "teleport"), null, null);
        assertTrue(m.contains("state 'book_verify': unknown action 'teleport'"), m);

        m = broken(f -> state(f, "book_confirm").getJsonObject("transitions").remove("expired"), null, null);
        assertTrue(m.contains("state 'book_confirm': no transition for the outcome 'expired' of action 'confirm'"), m);

        m = broken(f -> state(f, "goodbye").put("type", "dance"), null, null);
        assertTrue(m.contains("state 'goodbye': unknown type 'dance'"), m);

        m = broken(f -> f.put("onUnavailable", "goodbye"), null, null);
        assertTrue(m.contains("state 'goodbye': the outage state must be of type enqueue"), m);

        m = broken(f -> { }, "en", "offer");
        assertTrue(m.contains("prompts/en.json: state 'book_choice': prompt 'offer' is missing"), m);

        m = broken(f -> state(f, "book_notice").put("pattern", "[0-9"), null, null);
        assertTrue(m.contains("state 'book_notice': 'pattern' is not a valid regular expression"), m);
    }

    /**
     * The shipped flow run by {@link PhoneFlow} without HTTP or a database: {@code verify} answers
     * the outcomes queued in {@code verdicts}, offers are always made.
     */
    private static final class Engine {
        final Flow flow = Flow.load(SHIPPED);
        final Deque<String> verdicts = new ArrayDeque<>();
        final PhoneFlow engine = new PhoneFlow(flow, (action, call) -> Future.succeededFuture(switch (action) {
            case "verify" -> verdicts.removeFirst();
            case "offer_first", "offer_next", "offer_next_day" -> "offered";
            default -> throw new IllegalStateException("not scripted: " + action);
        }), null, Clock.systemUTC(), "http://madoguchi.test");
        final Call call = new Call("CAunit", "+819000000000", "ja");

        Reply dial() {
            return engine.start(call, false).result();
        }

        Reply press(String keys) {
            return engine.input(call, keys, null).result();
        }

        /** The notice number (well-formed) and a birth date, with {@code verdict} from verify. */
        Reply check(String verdict) {
            verdicts.add(verdict);
            assertEquals("book_birth", press("7300000001").gather.name());
            return press("19800101");
        }
    }

    @Test
    void wrongBirthDatesCountAsFailuresThoughTheNoticeNumberBeforeEachWasUnderstood() {
        Engine e = new Engine();
        e.dial();
        e.press("1");
        assertEquals("book_notice", e.press("1").gather.name());
        for (int i = 1; i < e.flow.maxFailures; i++) {
            Reply again = e.check("failed");
            assertEquals(Reply.End.GATHER, again.end);
            assertEquals("book_notice", again.gather.name());
            assertEquals(i, e.call.failures);
        }
        Reply last = e.check("failed");
        assertEquals(Reply.End.ENQUEUE, last.end, "after maxFailures wrong dates: the operators");
        assertEquals("madoguchi-operators", last.queue);
        assertEquals(e.flow.prompt("ja", "too_many_failures"), last.lines.get(last.lines.size() - 1).text());
        assertEquals(0, e.call.failures, "counted afresh once put through");
    }

    @Test
    void aSuccessfulCheckForgetsTheFailuresBeforeIt() {
        Engine e = new Engine();
        e.dial();
        e.press("1");
        assertEquals("menu", e.press("7").gather.name());
        assertEquals(1, e.call.failures, "the menu not understood");
        e.press("1");
        e.check("failed");
        assertEquals(2, e.call.failures, "a wrong date: one more");
        Reply offer = e.check("ok");
        assertEquals("book_choice", offer.gather.name());
        assertEquals(0, e.call.failures, "verify → ok: the caller got somewhere");
        for (int i = 1; i < e.flow.maxFailures; i++) {
            assertEquals("book_choice", e.press("8").gather.name());
        }
        assertEquals(Reply.End.ENQUEUE, e.press("8").end, "failures after the check count from zero");
    }

    @Test
    void choosingALanguageOrAMenuItemDoesNotForgetFailures() {
        Engine e = new Engine();
        assertEquals("greeting", e.dial().gather.name());
        e.press("7");
        assertEquals("menu", e.press("1").gather.name());
        assertEquals(1, e.call.failures);
        assertEquals("book_notice", e.press("1").gather.name());
        assertEquals("book_notice", e.press("12").gather.name(), "too short for a notice number");
        assertFalse(e.call.failures == 0);
        Reply third = e.press("34");
        assertEquals(Reply.End.ENQUEUE, third.end, "three failures in a row without getting anywhere");
    }

    @Test
    void aMissingDirectoryOrBadJsonIsNamed() throws IOException {
        Path dir = Files.createTempDirectory("flow");
        String m = assertThrows(Flow.Broken.class, () -> Flow.load(dir)).getMessage();
        assertTrue(m.contains(dir.resolve("default.flow.json") + ": the file does not exist"), m);
        Files.writeString(dir.resolve("default.flow.json"), "{ not json");
        m = assertThrows(Flow.Broken.class, () -> Flow.load(dir)).getMessage();
        assertTrue(m.contains("default.flow.json: is not a JSON object"), m);
    }

    private static Instant tokyo(int month, int day, int hour, int minute) {
        return ZonedDateTime.of(2026, month, day, hour, minute, 0, 0, ZoneId.of("Asia/Tokyo")).toInstant();
    }

    @Test
    void datesAndTimesAreReadAsPeopleSayThem() {
        assertEquals("12月3日 木曜日 午後2時15分", Spoken.dateTime(tokyo(12, 3, 14, 15), "ja"));
        assertEquals("Thursday, December 3rd at 2:15 PM", Spoken.dateTime(tokyo(12, 3, 14, 15), "en"));
        assertEquals("12月1日 火曜日 午前8時30分", Spoken.dateTime(tokyo(12, 1, 8, 30), "ja"));
        assertEquals("Tuesday, December 1st at 8:30 AM", Spoken.dateTime(tokyo(12, 1, 8, 30), "en"));
        assertEquals("午後0時", Spoken.time(tokyo(12, 2, 12, 0), "ja"));
        assertEquals("12 PM", Spoken.time(tokyo(12, 2, 12, 0), "en"));
        assertEquals("Saturday, December 12th at 9 AM", Spoken.dateTime(tokyo(12, 12, 9, 0), "en"));
        assertEquals("Tuesday, December 22nd at 5:45 PM", Spoken.dateTime(tokyo(12, 22, 17, 45), "en"));
        assertEquals("1、2、3", Spoken.code("123", "ja"));
        assertEquals("1, 2, 3", Spoken.code("123", "en"));
    }

    @Test
    void keysAndSpeechAreUnderstood() {
        Map<String, String> choices = Map.of("1", "book", "2", "manage", "予約", "book", "another day", "later", "day", "x");
        assertEquals("book", Speech.choose(choices, "1", null));
        assertEquals("manage", Speech.choose(choices, "", "two"));
        assertEquals("book", Speech.choose(choices, "", "予約したいです。"));
        assertEquals("later", Speech.choose(choices, "", "Another day, please"));
        assertEquals(null, Speech.choose(choices, "", "I want to go"));
        assertEquals("2100000001", Speech.digits("two one zero zero zero zero zero zero zero one"));
        assertEquals("2100", Speech.digits("２１００"));
        assertEquals("210", Speech.digits("二一〇"));
        assertEquals("19800101", Speech.dateDigits("1980年1月1日"));
        assertEquals("19800101", Speech.dateDigits("January 1st, 1980"));
        assertEquals("19800101", Speech.dateDigits("1 9 8 0 0 1 0 1"));
    }

    @Test
    void onlyNumbersThatCanTakeSmsGetOne() {
        assertTrue(PhoneActions.canTakeSms("+819012345678"));
        assertTrue(PhoneActions.canTakeSms("+818012345678"));
        assertTrue(PhoneActions.canTakeSms("+14155550100"));
        assertEquals(false, PhoneActions.canTakeSms("+81445550000"), "a Kawasaki landline");
        assertEquals(false, PhoneActions.canTakeSms("anonymous"));
        assertEquals(false, PhoneActions.canTakeSms(null));
    }
}
