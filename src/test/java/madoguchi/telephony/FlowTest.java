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

        m = broken(f -> f.getJsonObject("anywhere").put("agent", "nowhere"), null, null);
        assertTrue(m.contains("default.flow.json: 'anywhere' word 'agent' goes to 'nowhere', which is not a state"), m);

        m = broken(f -> state(f, "menu").put("hints", new JsonObject().put("fr", "réserver")), null, null);
        assertTrue(m.contains("state 'menu': 'hints' per language must name languages of [ja, en]"), m);

        m = broken(f -> { }, "ja", "notice_read_back");
        assertTrue(m.contains("prompts/ja.json: state 'book_notice': prompt 'notice_read_back' is missing"), m);

        m = broken(f -> state(f, "cancel_sms").put("sms", "sms_nothing"), null, null);
        assertTrue(m.contains("state 'cancel_sms': prompt 'sms_nothing' is missing"), m);

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
        final PhoneFlow engine = new PhoneFlow(flow, (state, call) -> Future.succeededFuture(switch (state.action()) {
            case "verify" -> verdicts.removeFirst();
            case "offer_first", "offer_next", "offer_next_day" -> "offered";
            default -> throw new IllegalStateException("not scripted: " + state.action());
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
            assertEquals("book_birth", press("7300000001").gather.name());
            return date(verdict);
        }

        /** A birth date, with {@code verdict} from verify. */
        Reply date(String verdict) {
            verdicts.add(verdict);
            return press("19800101");
        }
    }

    @Test
    void wrongBirthDatesCountAsFailuresThoughTheNoticeNumberBeforeEachWasUnderstood() {
        Engine e = new Engine();
        e.dial();
        e.press("1");
        assertEquals("book_notice", e.press("1").gather.name());
        Reply first = e.check("failed");
        assertEquals("book_birth", first.gather.name(), "asked for the date only");
        assertEquals(1, e.call.failures);
        for (int i = 2; i < e.flow.maxFailures; i++) {
            Reply again = e.date("failed");
            assertEquals(Reply.End.GATHER, again.end);
            assertEquals("book_birth", again.gather.name());
            assertEquals(i, e.call.failures);
        }
        Reply last = e.date("failed");
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
        Reply offer = e.date("ok");
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
        assertEquals("正午", Spoken.time(tokyo(12, 2, 12, 0), "ja"));
        assertEquals("noon", Spoken.time(tokyo(12, 2, 12, 0), "en"));
        assertEquals("Wednesday, December 2nd at noon", Spoken.dateTime(tokyo(12, 2, 12, 0), "en"));
        assertEquals("午後0時30分", Spoken.time(tokyo(12, 2, 12, 30), "ja"));
        assertEquals("Saturday, December 12th at 9 AM", Spoken.dateTime(tokyo(12, 12, 9, 0), "en"));
        assertEquals("Tuesday, December 22nd at 5:45 PM", Spoken.dateTime(tokyo(12, 22, 17, 45), "en"));
        assertEquals("⟦927⟧⟦102⟧⟦0992⟧", Spoken.code("9271020992", "ja"), "3-3-4, each group said digit by digit");
        assertEquals("⟦1234⟧⟦56⟧", Spoken.code("123456", "en"));
        assertEquals("1982年、昭和57年9月12日", Spoken.date(java.time.LocalDate.of(1982, 9, 12), "ja", true));
        assertEquals("1989年、平成元年1月8日", Spoken.date(java.time.LocalDate.of(1989, 1, 8), "ja", true));
        assertEquals("September 12th, 1982", Spoken.date(java.time.LocalDate.of(1982, 9, 12), "en", true));
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
        assertEquals("19800101", Speech.birth("", "1980年1月1日"));
        assertEquals("19800101", Speech.birth("", "January 1st, 1980"));
        assertEquals("19800101", Speech.birth("", "1 9 8 0 0 1 0 1"));
    }

    @Test
    void numbersAreUnderstoodAsPeopleSayThem() {
        assertEquals("2100000022", Speech.digits("に いち ぜろ ぜろ ぜろ ぜろ ぜろ ぜろ に に"));
        assertEquals("210", Speech.digits("にいちぜろ"));
        assertEquals("2100", Speech.digits("ニイチゼロゼロ"), "katakana as a recogniser may write it");
        assertEquals("2160000022", Speech.digits("21億6000万22"));
        assertEquals("2100000022", Speech.digits("21億22"));
        assertEquals("57", Speech.digits("五十七"));
        assertEquals("1999", Speech.digits("千九百九十九"));
        assertEquals("99", Speech.digits("きゅうきゅう"));
        Map<String, String> menu = Map.of("1", "book", "2", "manage");
        assertEquals("book", Speech.choose(menu, "", "いち"));
        assertEquals("book", Speech.choose(menu, "", "1番"));
        assertEquals("manage", Speech.choose(menu, "", "2番です"));
        assertEquals("manage", Speech.choose(menu, "", "number two"));
    }

    @Test
    void birthDatesAreUnderstoodInEraYearsAndInEnglishOrders() {
        assertEquals("19820912", Speech.birth("", "昭和57年9月12日"));
        assertEquals("19820912", Speech.birth("", "昭和五十七年九月十二日"));
        assertEquals("19890108", Speech.birth("", "平成元年1月8日"));
        assertEquals("19950403", Speech.birth("", "へいせい7年4月3日"));
        assertEquals("", Speech.birth("", "昭和64年2月1日"), "no such day in 昭和: not taken as another date");
        assertEquals("19400101", Speech.birth("", "1st January 1940"));
        assertEquals("19400101", Speech.birth("", "the 1st of January, 1940"));
        assertEquals("19400102", Speech.birth("", "01/02/1940"), "month first, as en-US writes dates");
        assertEquals("19400113", Speech.birth("", "13/01/1940"), "13 cannot be a month: day first");
        assertEquals("19400102", Speech.birth("", "1940-01-02"));
        assertEquals("19820912", Speech.birth("3570912", null), "era digit 3 (昭和) then YYMMDD");
        assertEquals("19950403", Speech.birth("4070403", null), "era digit 4 (平成)");
        assertEquals("", Speech.birth("6070403", null), "no era 6");
        assertEquals("19800101", Speech.birth("19800101", null));
    }

    @Test
    void theMoreSpecificWordsWinAndTwoAnswersAtOnceAreAmbiguous() {
        Flow flow = Flow.load(SHIPPED);
        Map<String, String> menu = flow.state("menu").choices();
        assertEquals("manage_notice", Speech.choose(menu, "", "予約の確認をしたいです"));
        assertEquals("manage_notice", Speech.choose(menu, "", "予約を変更したい"));
        assertEquals("book_notice", Speech.choose(menu, "", "予約をお願いします"));
        assertEquals("book_notice", Speech.choose(menu, "", "make a reservation"));
        assertEquals("manage_notice", Speech.choose(menu, "", "I want to check my booking"));
        assertTrue(Speech.match(menu, "", "予約と確認").ambiguous());
        assertTrue(Speech.match(menu, "", "book or cancel").ambiguous());
        Map<String, String> offer = flow.state("book_choice").choices();
        assertEquals("book_next", Speech.choose(offer, "", "次の時間"));
        assertEquals("book_confirm", Speech.choose(offer, "", "お願いします"));
        assertEquals("book_day_ask", Speech.choose(offer, "", "別の日でお願いします"));
        assertTrue(Speech.match(offer, "", "はい、次の時間で").ambiguous());
        assertEquals("operator", Speech.choose(flow.anywhere, "", "担当者と話したい"));
        assertEquals("operator", Speech.choose(flow.anywhere, "", "representative"));
        assertEquals("lang_en", Speech.choose(flow.state("greeting").choices(), "", "イングリッシュ"));
        assertTrue(Speech.repeat("もう一度お願いします"));
        assertTrue(Speech.repeat("repeat"));
        assertTrue(Speech.back("戻る"));
    }

    @Test
    void starGoesBackAndNineRepeatsWithoutCountingAsFailures() {
        Engine e = new Engine();
        e.dial();
        assertEquals("menu", e.press("1").gather.name());
        assertEquals("menu", e.press("9").gather.name(), "9 repeats the menu");
        assertEquals("greeting", e.press("*").gather.name(), "* goes back to the language");
        assertEquals("menu", e.press("1").gather.name());
        assertEquals("book_notice", e.press("1").gather.name());
        assertEquals("book_birth", e.press("7300000001").gather.name());
        assertEquals("book_notice", e.press("*").gather.name(), "* at the date: the notice number again");
        assertEquals("menu", e.press("*").gather.name());
        assertEquals("menu", e.press("9").gather.name());
        assertEquals(0, e.call.failures, "neither * nor 9 is a failure");
        assertEquals("book_notice", e.press("1").gather.name());
        e.verdicts.add("ok");
        e.press("7300000001");
        assertEquals("book_choice", e.press("19800101").gather.name());
        assertEquals("book_choice", e.press("9").gather.name(), "9 repeats the offer");
        assertEquals("book_day_ask", e.press("2").gather.name());
        assertEquals("book_choice", e.press("*").gather.name(), "* from the day question: the offer again");
        assertEquals(0, e.call.failures);
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
