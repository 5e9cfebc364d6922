package madoguchi.telephony;

import io.vertx.core.json.JsonObject;
import madoguchi.Config;
import madoguchi.app.reminders.ReminderCalls;
import madoguchi.support.FakeTwilioApi;
import madoguchi.support.MutableClock;
import madoguchi.support.PhoneCall;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static madoguchi.telephony.SmsRepliesTest.AUTH_TOKEN;
import static madoguchi.telephony.SmsRepliesTest.TOKYO;
import static madoguchi.telephony.SmsRepliesTest.book;
import static madoguchi.telephony.SmsRepliesTest.card;
import static madoguchi.telephony.SmsRepliesTest.remaining;
import static madoguchi.telephony.SmsRepliesTest.site;
import static madoguchi.telephony.SmsRepliesTest.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optional reminder call against the running service, a fake Twilio REST API that records the
 * calls placed, and a clock the test moves: one call per booking at the reminder time, across a
 * restart; the call's webhooks (signed, TwiML parsed as XML) read the booking, 2 cancels it (the
 * seat is free at once), 1 keeps it; a forged request changes nothing; an unanswered call is tried
 * again later and then listed for the operators; with the setting off nobody is called.
 */
class ReminderCallTest {
    /** A Thursday. */
    private static final LocalDate DAY = LocalDate.of(2026, 12, 3);
    private static final String FROM = "+81445550000";
    private static final Pattern CALL_URL = Pattern.compile("/twilio/voice/reminder\\?booking=([0-9]+)&t=([A-Za-z0-9_-]{24})");
    private static final AtomicInteger SITES = new AtomicInteger();
    private static MutableClock clock;
    private static FakeTwilioApi api;
    /** Calls every booking (MADOGUCHI_REMINDER_CALLS=all). */
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        clock = new MutableClock(DAY.atTime(9, 0).atZone(TOKYO).toInstant());
        api = new FakeTwilioApi();
        service = SmsRepliesTest.start(TestDatabase.fresh(), api, clock, Map.of("MADOGUCHI_REMINDER_CALLS", "all"));
    }

    /** Every test books three days ahead of its own day (one moves the clock on by hours). */
    @BeforeEach
    void morning() {
        clock.set(DAY.minusDays(3).atTime(9, 0).atZone(TOKYO).toInstant());
    }

    @AfterAll
    static void stop() {
        service.close();
        api.close();
    }

    @Test
    void aLandlineBookingGetsOneCallAtTheReminderTimeAcrossARestart() throws Exception {
        var db = TestDatabase.fresh();
        MutableClock own = new MutableClock(DAY.minusDays(3).atTime(9, 0).atZone(TOKYO).toInstant());
        Map<String, String> env = Map.of("MADOGUCHI_REMINDER_CALLS", "landline");
        AtomicInteger sites = new AtomicInteger();
        try (FakeTwilioApi twilio = new FakeTwilioApi()) {
            String landline = "+81441230001";
            long bookingId;
            String code;
            TestService first = SmsRepliesTest.start(db, twilio, own, env);
            try {
                String site = site(first, sites, DAY, 5);
                code = book(first, site, DAY, card(first, site, 7_700_000_001L, "0441230001"));
                book(first, site, DAY, card(first, site, 7_700_000_002L, "09030000002"));
                bookingId = bookingId(db, code);

                own.set(DAY.minusDays(1).atTime(17, 59).atZone(TOKYO).toInstant());
                remind(first);
                assertEquals(0, twilio.calls().size(), "not before the reminder time");

                own.set(DAY.minusDays(1).atTime(18, 0).atZone(TOKYO).toInstant());
                remind(first);
                assertEquals(1, twilio.calls().size(), "the landline is called: " + twilio.calls());
                Map<String, String> call = twilio.calls().get(0).form();
                assertEquals(landline, call.get("To"));
                assertEquals(FROM, call.get("From"));
                assertEquals("ACsmstest0123456789", twilio.calls().get(0).accountSid());
                Matcher url = CALL_URL.matcher(call.get("Url"));
                assertTrue(call.get("Url").startsWith(first.base() + "/twilio/voice/reminder?") && url.find(), call.get("Url"));
                assertEquals(Long.toString(bookingId), url.group(1));
                assertEquals(first.base() + "/twilio/voice/reminder/status?booking=" + bookingId + "&t=" + url.group(2),
                        call.get("StatusCallback"));
                assertEquals("POST", call.get("Method"));
                // landline mode: the mobile gets its text as before, and no call
                assertEquals(List.of("+819030000002"), twilio.awaitSent(1).stream().map(s -> s.form().get("To")).toList());

                own.advance(Duration.ofMinutes(1));
                remind(first);
                assertEquals(1, twilio.calls().size(), "each booking is called once");
            } finally {
                first.close();
            }

            // a restart on the same database, while the call is ringing
            own.advance(Duration.ofMinutes(5));
            TestService second = SmsRepliesTest.start(db, twilio, own, env);
            try {
                remind(second);
                assertEquals(1, twilio.calls().size(), "not placed again after the restart");

                // the resident picks up: Twilio fetches the call's URL, now answered by the new instance
                Map<String, String> call = twilio.calls().get(0).form();
                PhoneCall.Twiml read = post(second, path(call.get("Url")), params(sid(1), landline, "in-progress"));
                assertTrue(read.text().contains("12月3日 木曜日 午前10時"), read.text());
                PhoneCall.Twiml kept = post(second, path(read.gather().getAttribute("action")), digits(sid(1), landline, "1"));
                assertTrue(kept.text().contains("お待ちしております"), kept.text());
                assertTrue(kept.has("Hangup"));
                post(second, path(call.get("StatusCallback")), params(sid(1), landline, "completed"));

                own.advance(Duration.ofHours(2));
                remind(second);
                assertEquals(1, twilio.calls().size(), "a call that was answered is not placed again");
                assertEquals("active", status(second, code));
                String metrics = second.metrics();
                assertTrue(metrics.contains("madoguchi_reminder_calls_total{event=\"answered\"} 1.0"), metrics);
                assertTrue(metrics.contains("madoguchi_reminder_calls_total{event=\"kept\"} 1.0"), metrics);
            } finally {
                second.close();
            }
            assertEquals("kept 1", job(db, bookingId));
            assertEquals("completed", lastStatus(db, bookingId), "the status callback is recorded");
        }
    }

    @Test
    void pressing2CancelsTheBookingAndTheSeatIsFreeAtOnce() throws Exception {
        LocalDate day = DAY.plusDays(5);
        String phone = "+81441230002";
        String site = site(service, SITES, day, 5);
        String code = book(service, site, day, card(service, site, 7_700_000_011L, "0441230002"));
        assertEquals(4, remaining(service, site, day));
        Map<String, String> call = callFor(day, phone);

        PhoneCall.Twiml read = post(service, path(call.get("Url")), params(sid(phone), phone, "in-progress"));
        List<Element> says = read.says();
        assertEquals("ja-JP", says.get(0).getAttribute("language"));
        assertTrue(read.text().contains("テスト会場 " + site) && read.text().contains("12月8日 火曜日 午前10時"), read.text());
        assertTrue(read.text().contains("1を") && read.text().contains("2を"), read.text());
        Element english = says.get(says.size() - 1);
        assertEquals("en-US", english.getAttribute("language"));
        assertEquals("For English, press 9.", english.getTextContent());
        assertEquals("1", read.gather().getAttribute("numDigits"));

        PhoneCall.Twiml en = post(service, path(read.gather().getAttribute("action")), digits(sid(phone), phone, "9"));
        assertTrue(en.text().contains("Test site " + site) && en.text().contains("Tuesday, December 8th at 10 AM"), en.text());

        PhoneCall.Twiml cancelled = post(service, path(en.gather().getAttribute("action")), digits(sid(phone), phone, "2"));
        assertTrue(cancelled.text().contains("Your booking for Tuesday, December 8th at 10 AM is cancelled"), cancelled.text());
        assertTrue(cancelled.has("Hangup"));
        assertEquals("cancelled", status(service, code));
        assertEquals(5, remaining(service, site, day), "the seat is free at once");

        // the resident (or Twilio) fetches the call again: it says politely that the booking is gone
        PhoneCall.Twiml again = post(service, path(call.get("Url")), params(sid(phone), phone, "in-progress"));
        assertTrue(again.text().contains("すでに取り消されています"), again.text());
        assertFalse(again.has("Gather"));
        assertTrue(service.metrics().contains("madoguchi_reminder_calls_total{event=\"cancelled\"} 1.0"));
    }

    @Test
    void pressing1KeepsTheBookingAndSilenceRepeatsTheMessageOnceThenEnds() throws Exception {
        LocalDate day = DAY.plusDays(6);
        String phone = "+819030000012";
        String site = site(service, SITES, day, 5);
        String code = book(service, site, day, card(service, site, 7_700_000_012L, "09030000012"));
        Map<String, String> call = callFor(day, phone);
        // MADOGUCHI_REMINDER_CALLS=all: a mobile gets the text too
        assertTrue(api.awaitSentTo(phone).form().get("Body").contains(code));

        PhoneCall.Twiml read = post(service, path(call.get("Url")), params(sid(phone), phone, "in-progress"));
        PhoneCall.Twiml repeated = post(service, path(read.gather().getAttribute("action")), params(sid(phone), phone, "in-progress"));
        assertTrue(repeated.text().startsWith("入力を確認できませんでした") && repeated.text().contains("12月9日 水曜日 午前10時"),
                repeated.text());
        PhoneCall.Twiml ended = post(service, path(repeated.gather().getAttribute("action")), params(sid(phone), phone, "in-progress"));
        assertTrue(ended.text().contains("ご予約はそのままです") && ended.has("Hangup") && !ended.has("Gather"), ended.text());
        assertEquals("active", status(service, code));

        PhoneCall.Twiml kept = post(service, path(read.gather().getAttribute("action")), digits(sid(phone), phone, "1"));
        assertTrue(kept.text().contains("ありがとうございます") && kept.text().contains("テスト会場 " + site), kept.text());
        assertTrue(kept.has("Hangup"));
        assertEquals("active", status(service, code));
        assertEquals(4, remaining(service, site, day));
        assertEquals("kept 1", job(service.database, bookingId(service.database, code)));
    }

    @Test
    void aForgedOrMisdirectedRequestChangesNothing() throws Exception {
        LocalDate day = DAY.plusDays(7);
        String phone = "+81441230004";
        String site = site(service, SITES, day, 5);
        String code = book(service, site, day, card(service, site, 7_700_000_013L, "0441230004"));
        Map<String, String> call = callFor(day, phone);
        String choice = path(call.get("Url")).replace("/twilio/voice/reminder?", "/twilio/voice/reminder/choice?") + "&lang=ja&round=1";
        PhoneCall forger = new PhoneCall(service.base(), "not-the-auth-token-0123456789", FROM);

        assertEquals(403, forger.post(path(call.get("Url")), params(sid(phone), phone, "in-progress")).status());
        assertEquals(403, forger.post(choice, digits(sid(phone), phone, "2")).status());
        assertEquals(403, forger.post(choice, digits(sid(phone), phone, "2"), null).status(), "unsigned");
        // signed, but the token is not this booking's call's: nothing is read out, nothing changes
        PhoneCall.Twiml wrong = post(service, choice.replaceAll("&t=[^&]+", "&t=AAAAAAAAAAAAAAAAAAAAAAAA"), digits(sid(phone), phone, "2"));
        assertFalse(wrong.text().contains("12月"), wrong.text());
        assertTrue(wrong.has("Hangup"));
        PhoneCall.Twiml other = post(service, choice.replaceAll("booking=[0-9]+", "booking=1"), digits(sid(phone), phone, "2"));
        assertTrue(other.has("Hangup") && !other.has("Gather"), other.xml);

        assertEquals("active", status(service, code));
        assertEquals(4, remaining(service, site, day));
    }

    @Test
    void anUnansweredCallIsTriedAgainLaterThenListedForTheOperators() throws Exception {
        LocalDate day = DAY.plusDays(8);
        String phone = "+81441230005";
        String site = site(service, SITES, day, 5);
        String code = book(service, site, day, card(service, site, 7_700_000_014L, "0441230005"));
        Map<String, String> first = callFor(day, phone);
        post(service, path(first.get("StatusCallback")), params(sid(phone), phone, "no-answer"));

        clock.advance(Duration.ofMinutes(9));
        remind(service);
        assertEquals(1, callsTo(phone).size(), "not again before 10 minutes");
        clock.advance(Duration.ofMinutes(1));
        remind(service);
        assertEquals(2, callsTo(phone).size(), "tried again after 10 minutes");
        post(service, path(first.get("StatusCallback")), params(sid(phone), phone, "busy"));

        clock.advance(Duration.ofMinutes(19));
        remind(service);
        assertEquals(2, callsTo(phone).size(), "then 20 minutes later");
        clock.advance(Duration.ofMinutes(1));
        remind(service);
        assertEquals(3, callsTo(phone).size());
        post(service, path(first.get("StatusCallback")), params(sid(phone), phone, "no-answer"));

        clock.advance(Duration.ofHours(1));
        remind(service);
        assertEquals(3, callsTo(phone).size(), "three attempts, then given up");
        assertEquals(401, service.get("/api/v1/operator/calls/failed", null).status());
        TestService.Response r = service.get("/api/v1/operator/calls/failed", TestService.ADMIN_TOKEN);
        assertEquals(200, r.status(), r.toString());
        JsonObject listed = r.json().getJsonArray("calls").stream().map(o -> (JsonObject) o)
                .filter(c -> code.equals(c.getString("bookingCode"))).findFirst().orElseThrow(() -> new AssertionError(r.body()));
        assertEquals(3, listed.getInteger("attempts"));
        assertEquals("no-answer", listed.getString("lastStatus"));
        assertEquals(phone, listed.getString("phone"));
        assertEquals("active", listed.getString("bookingStatus"));
        assertEquals(site, listed.getString("siteId"));
        assertTrue(service.metrics().contains("madoguchi_reminder_calls_total{event=\"given_up\"}"));
    }

    @Test
    void aCallTheProviderRefusedIsPlacedAgainLater() throws Exception {
        LocalDate day = DAY.plusDays(9);
        String phone = "+81441230006";
        String site = site(service, SITES, day, 5);
        String code = book(service, site, day, card(service, site, 7_700_000_015L, "0441230006"));
        long id = bookingId(service.database, code);
        api.failNext(1);
        clock.set(day.minusDays(1).atTime(18, 0).atZone(TOKYO).toInstant());
        remind(service);
        assertEquals(0, callsTo(phone).size(), "Twilio answered 500");
        assertEquals("waiting 1", job(service.database, id));
        clock.advance(Duration.ofMinutes(10));
        remind(service);
        assertEquals(1, callsTo(phone).size());
        assertEquals("calling 2", job(service.database, id));
    }

    @Test
    void withTheSettingOffNobodyIsCalled() throws Exception {
        var db = TestDatabase.fresh();
        MutableClock own = new MutableClock(DAY.minusDays(3).atTime(9, 0).atZone(TOKYO).toInstant());
        try (FakeTwilioApi twilio = new FakeTwilioApi(); TestService off = SmsRepliesTest.start(db, twilio, own, Map.of())) {
            String site = site(off, new AtomicInteger(), DAY, 5);
            book(off, site, DAY, card(off, site, 7_700_000_021L, "0441230021"));
            own.set(DAY.minusDays(1).atTime(18, 0).atZone(TOKYO).toInstant());
            remind(off);
            own.advance(Duration.ofHours(1));
            remind(off);
            assertEquals(0, twilio.calls().size());
            try (Connection c = TestDatabase.connect(db); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT (SELECT count(*) FROM reminder_calls), (SELECT string_agg(state, ',') FROM reminders)")) {
                assertTrue(rs.next());
                assertEquals(0, rs.getInt(1));
                assertEquals("skipped", rs.getString(2), "the landline gets no text either, as before");
            }
        }
    }

    @Test
    void theSettingIsOffByDefaultAndNeedsThePublicAddress() {
        assertEquals(ReminderCalls.Mode.OFF, Config.fromEnvironment(Map.of()).reminderCalls());
        assertEquals(ReminderCalls.Mode.LANDLINE, Config.fromEnvironment(Map.of("MADOGUCHI_REMINDER_CALLS", "landline",
                "PUBLIC_BASE_URL", "https://madoguchi.example.jp")).reminderCalls());
        assertTrue(assertThrows(Config.Invalid.class, () -> Config.fromEnvironment(Map.of("MADOGUCHI_REMINDER_CALLS", "yes")))
                .getMessage().startsWith("MADOGUCHI_REMINDER_CALLS must be off, landline or all"));
        assertTrue(assertThrows(Config.Invalid.class, () -> Config.fromEnvironment(Map.of("MADOGUCHI_REMINDER_CALLS", "all")))
                .getMessage().contains("needs PUBLIC_BASE_URL"));
    }

    @Test
    void aFlowDirectoryWithoutTheReminderPromptsUsesTheShippedOnes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("prompts"));
        java.nio.file.Files.copy(java.nio.file.Path.of("ivr-flows/default.flow.json"), dir.resolve("default.flow.json"));
        for (String lang : List.of("ja", "en")) {
            JsonObject prompts = new JsonObject(java.nio.file.Files.readString(java.nio.file.Path.of("ivr-flows/prompts/" + lang + ".json")));
            prompts.fieldNames().removeIf(k -> k.startsWith("reminder_call_"));
            prompts.put("goodbye", "custom goodbye " + lang);
            java.nio.file.Files.writeString(dir.resolve("prompts/" + lang + ".json"), prompts.encode());
        }
        assertFalse(java.nio.file.Files.readString(dir.resolve("prompts/ja.json")).contains("reminder_call_"));
        ReminderCall call = new ReminderCall(null, null, Flow.load(dir), "Polly.Mizuki", "Polly.Joanna", null);
        assertEquals("For English, press 9.", call.prompt("en", "reminder_call_switch"));
        assertTrue(call.prompt("ja", "reminder_call_read").contains("{site}で、{slot}に"));
        assertEquals("custom goodbye ja", call.prompt("ja", "goodbye"), "the flow's own prompts win");
    }

    /** Moves the shared clock to the evening before {@code day} and runs the reminders; the call placed to {@code phone}. */
    private static Map<String, String> callFor(LocalDate day, String phone) throws Exception {
        clock.set(day.minusDays(1).atTime(18, 0).atZone(TOKYO).toInstant());
        remind(service);
        List<FakeTwilioApi.Sent> calls = callsTo(phone);
        assertEquals(1, calls.size(), "one call to the number: " + api.calls());
        return calls.get(0).form();
    }

    /** What the service does every minute: the reminders due, then the calls due. */
    private static void remind(TestService s) throws Exception {
        s.app.services().reminders().runDue().await(30, TimeUnit.SECONDS);
        s.app.services().reminderCalls().placeDue().await(30, TimeUnit.SECONDS);
    }

    private static List<FakeTwilioApi.Sent> callsTo(String phone) {
        return api.calls().stream().filter(c -> phone.equals(c.form().get("To"))).toList();
    }

    /** The fake's id of the latest call to {@code phone}. */
    private static String sid(String phone) {
        List<FakeTwilioApi.Sent> all = api.calls();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (phone.equals(all.get(i).form().get("To"))) {
                return sid(i + 1);
            }
        }
        throw new AssertionError("no call to the number");
    }

    private static String sid(int n) {
        return String.format("CA%032d", n);
    }

    /** The path and query of a URL the service gave Twilio (the instance answering may be another one). */
    private static String path(String url) {
        URI u = URI.create(url);
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    /** What Twilio posts for an outbound call. */
    private static Map<String, String> params(String sid, String to, String status) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("CallSid", sid);
        p.put("AccountSid", "ACsmstest0123456789");
        p.put("From", FROM);
        p.put("To", to);
        p.put("Direction", "outbound-api");
        p.put("CallStatus", status);
        return p;
    }

    private static Map<String, String> digits(String sid, String to, String digits) {
        Map<String, String> p = params(sid, to, "in-progress");
        p.put("Digits", digits);
        return p;
    }

    /** A request signed as Twilio signs it, its TwiML parsed as XML. */
    private static PhoneCall.Twiml post(TestService s, String path, Map<String, String> p) {
        return new PhoneCall(s.base(), AUTH_TOKEN, FROM).post(path, p).twiml();
    }

    private static long bookingId(Config.DatabaseUrl db, String code) throws Exception {
        try (Connection c = TestDatabase.connect(db); PreparedStatement st = c.prepareStatement("SELECT id FROM bookings WHERE code = ?")) {
            st.setString(1, code);
            try (ResultSet rs = st.executeQuery()) {
                assertTrue(rs.next());
                return rs.getLong(1);
            }
        }
    }

    private static String lastStatus(Config.DatabaseUrl db, long bookingId) throws Exception {
        try (Connection c = TestDatabase.connect(db); ResultSet rs = c.createStatement().executeQuery(
                "SELECT last_status FROM reminder_calls WHERE booking_id = " + bookingId)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    /** The call job's state and attempts, e.g. "kept 1". */
    private static String job(Config.DatabaseUrl db, long bookingId) throws Exception {
        try (Connection c = TestDatabase.connect(db); ResultSet rs = c.createStatement().executeQuery(
                "SELECT state, attempts FROM reminder_calls WHERE booking_id = " + bookingId)) {
            if (!rs.next()) {
                return null;
            }
            return rs.getString(1) + " " + rs.getInt(2);
        }
    }
}
