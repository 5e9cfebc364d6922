package madoguchi.telephony;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.support.FakeTwilioApi;
import madoguchi.support.MutableClock;
import madoguchi.support.PhoneCall;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.NodeList;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Residents' text messages to the service's number, signed as Twilio signs them, against the
 * running service: CANCEL by SMS frees the seat (only from the card's number), STOP and START
 * are stored, a forged request changes nothing, and delivery reports reach the operators' list.
 */
public class SmsRepliesTest {
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    public static final String AUTH_TOKEN = "test-twilio-auth-token-sms-0123456789";
    private static final LocalDate DAY = LocalDate.of(2026, 12, 10);
    private static final AtomicLong NOTICE = new AtomicLong(7_400_000_000L);
    private static final AtomicLong PHONE = new AtomicLong(1_000_0001L);
    private static final AtomicInteger SITES = new AtomicInteger();
    private static MutableClock clock;
    private static FakeTwilioApi twilioApi;
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        clock = new MutableClock(DAY.minusDays(3).atTime(9, 0).atZone(TOKYO).toInstant());
        twilioApi = new FakeTwilioApi();
        service = start(TestDatabase.fresh(), twilioApi, clock, Map.of());
    }

    /** Every test starts three days before DAY (one moves the clock on by days). */
    @BeforeEach
    void morning() {
        clock.set(DAY.minusDays(3).atTime(9, 0).atZone(TOKYO).toInstant());
    }

    @AfterAll
    static void stop() {
        service.close();
        twilioApi.close();
    }

    /** The service with Twilio configured against the fake REST API, PUBLIC_BASE_URL on its own port. */
    public static TestService start(madoguchi.Config.DatabaseUrl db, FakeTwilioApi api, MutableClock clock, Map<String, String> extra)
            throws Exception {
        int port = TestService.freePort();
        Map<String, String> env = new LinkedHashMap<>(Map.of(
                "PORT", Integer.toString(port),
                "PUBLIC_BASE_URL", "http://127.0.0.1:" + port,
                "TWILIO_ACCOUNT_SID", "ACsmstest0123456789",
                "TWILIO_AUTH_TOKEN", AUTH_TOKEN,
                "TWILIO_FROM_NUMBER", "+81445550000",
                "TWILIO_API_BASE_URL", api.baseUrl()));
        env.putAll(extra);
        return TestService.start(db, env, clock);
    }

    /** A new site with one slot on {@code day} at 10:00 for {@code seats} residents. */
    static String site(TestService service, AtomicInteger sites, LocalDate day, int seats) {
        String site = "sms" + sites.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 6);
        service.siteWithOneSlot(site, day, 1, seats);
        return site;
    }

    /** A ready card at the site whose phone number (as the card file writes it) is {@code localPhone}; its notice number. */
    static long card(TestService service, String site, long notice, String localPhone) {
        String csv = "noticeNumber,birthDate,phone,siteId,state\n" + notice + ",1980-01-01," + localPhone + "," + site + ",ready\n";
        TestService.Response r = service.post("/api/v1/admin/cards/import", TestService.ADMIN_TOKEN, csv);
        assertEquals(200, r.status(), r.toString());
        return notice;
    }

    /** Books the site's slot on {@code day} for the card through the operator API; the booking code. */
    static String book(TestService service, String site, LocalDate day, long notice) {
        long slot = slotId(service, site, day);
        TestService.Response r = service.post("/api/v1/operator/bookings", TestService.ADMIN_TOKEN,
                new JsonObject().put("noticeNumber", Long.toString(notice)).put("slotId", slot));
        assertEquals(201, r.status(), r.toString());
        return r.json().getString("code");
    }

    static long slotId(TestService service, String site, LocalDate day) {
        return availability(service, site, day).getJsonObject(0).getLong("slotId");
    }

    static int remaining(TestService service, String site, LocalDate day) {
        return availability(service, site, day).getJsonObject(0).getInteger("remaining");
    }

    private static JsonArray availability(TestService service, String site, LocalDate day) {
        return service.get("/api/v1/sites/" + site + "/availability?from=" + day + "&to=" + day + "&channel=operator", null).array();
    }

    static String status(TestService service, String code) {
        TestService.Response r = service.get("/api/v1/operator/bookings?code=" + code, TestService.ADMIN_TOKEN);
        assertEquals(200, r.status(), r.toString());
        for (Object o : r.array().getJsonObject(0).getJsonArray("bookings")) {
            JsonObject b = (JsonObject) o;
            if (code.equals(b.getString("code"))) {
                return b.getString("status");
            }
        }
        throw new AssertionError("booking not found: " + r);
    }

    /** A text message from {@code from} (E.164) to the service's number, signed (or not) like Twilio's. */
    static PhoneCall.Answer text(TestService service, String from, String body, String authToken) {
        PhoneCall sender = new PhoneCall(service.base(), authToken, from);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
        p.put("AccountSid", "ACsmstest0123456789");
        p.put("From", from);
        p.put("To", "+81445550000");
        p.put("Body", body);
        p.put("NumSegments", "1");
        return sender.post("/twilio/sms", p);
    }

    /** The text of the single {@code <Message>} of a TwiML answer. */
    static String message(PhoneCall.Answer answer) {
        PhoneCall.Twiml twiml = answer.twiml();
        NodeList messages = twiml.root.getElementsByTagName("Message");
        assertEquals(1, messages.getLength(), twiml.xml);
        return messages.item(0).getTextContent();
    }

    private static String[] phone() {
        String local = "090" + PHONE.getAndIncrement();
        return new String[]{local, "+81" + local.substring(1)};
    }

    private static String fullWidth(String ascii) {
        StringBuilder b = new StringBuilder();
        for (char c : ascii.toCharArray()) {
            b.append(c == ' ' ? '\u3000' : (char) (c - '!' + '！'));
        }
        return b.toString();
    }

    @Test
    void cancelBySmsFromTheCardsNumberFreesTheSeat() {
        String site = site(service, SITES, DAY, 1);
        String[] mine = phone();
        String[] other = phone();
        long notice = card(service, site, NOTICE.getAndIncrement(), mine[0]);
        card(service, site, NOTICE.getAndIncrement(), other[0]);
        String code = book(service, site, DAY, notice);
        assertEquals(0, remaining(service, site, DAY));

        // someone else's number: a refusal that says nothing of the booking, and nothing changes
        String refused = message(text(service, other[1], "キャンセル " + code, AUTH_TOKEN));
        assertTrue(refused.contains("キャンセルできませんでした"), refused);
        assertFalse(refused.contains(code), refused);
        assertEquals("active", status(service, code));
        assertEquals(0, remaining(service, site, DAY));
        // a code that does not exist gets the very same answer
        assertEquals(refused, message(text(service, mine[1], "キャンセル 0000000000", AUTH_TOKEN)));

        // full-width digits and an ideographic space, from the card's own number
        String done = message(text(service, mine[1], "キャンセル" + "\u3000" + fullWidth(code), AUTH_TOKEN));
        assertTrue(done.contains("キャンセルしました") && done.contains(code), done);
        assertEquals("cancelled", status(service, code));
        assertEquals(1, remaining(service, site, DAY), "the seat is free at once");

        // sent again: already cancelled, the polite refusal
        assertEquals(refused, message(text(service, mine[1], "キャンセル " + code, AUTH_TOKEN)));
    }

    @Test
    void theTextCommandSendsASignedSmsAndPrintsTheReply() {
        String site = site(service, SITES, DAY, 1);
        String[] mine = phone();
        long notice = card(service, site, NOTICE.getAndIncrement(), mine[0]);
        String code = book(service, site, DAY, notice);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit = TextSimulator.run(new String[] {"text", "--to", service.base() + "/twilio/sms", "--from", mine[1], "CANCEL", code},
                Map.of("TWILIO_AUTH_TOKEN", AUTH_TOKEN), new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, exit, err.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(printed.contains(code) && printed.toLowerCase(java.util.Locale.ROOT).contains("cancelled"), printed);
        assertEquals("cancelled", status(service, code));
        assertEquals(1, remaining(service, site, DAY), "the seat is free at once");

        // signed with another token: the service refuses it and the command says so
        int forged = TextSimulator.run(new String[] {"text", "--to", service.base() + "/twilio/sms", "--from", mine[1], "STOP"},
                Map.of("TWILIO_AUTH_TOKEN", "not-the-auth-token-0123456789abcdef"), new java.io.PrintStream(out), new java.io.PrintStream(err));
        assertEquals(1, forged);
        assertTrue(err.toString(java.nio.charset.StandardCharsets.UTF_8).contains("403"));
        assertEquals(2, TextSimulator.run(new String[] {"text", "--to", service.base() + "/twilio/sms"}, Map.of("TWILIO_AUTH_TOKEN", AUTH_TOKEN),
                new java.io.PrintStream(out), new java.io.PrintStream(err)), "no sender, no words: the usage");
    }

    @Test
    void englishCancelIsAnsweredInEnglish() {
        String site = site(service, SITES, DAY, 2);
        String[] mine = phone();
        long notice = card(service, site, NOTICE.getAndIncrement(), mine[0]);
        String code = book(service, site, DAY, notice);
        String done = message(text(service, mine[1], "cancel " + code.substring(0, 5) + " " + code.substring(5), AUTH_TOKEN));
        assertEquals("Your booking " + code + " is cancelled.", done);
        assertEquals("cancelled", status(service, code));
        assertEquals(2, remaining(service, site, DAY));
    }

    @Test
    void forgedOrUnsignedTextsAreRefusedAndChangeNothing() throws Exception {
        String site = site(service, SITES, DAY, 1);
        String[] mine = phone();
        long notice = card(service, site, NOTICE.getAndIncrement(), mine[0]);
        String code = book(service, site, DAY, notice);

        PhoneCall.Answer forged = text(service, mine[1], "CANCEL " + code, "not-the-auth-token-0123456789abcdef");
        assertEquals(403, forged.status(), forged.body());
        assertTrue(forged.body().contains("invalid_signature"), forged.body());
        PhoneCall.Answer stop = text(service, mine[1], "STOP", "not-the-auth-token-0123456789abcdef");
        assertEquals(403, stop.status());

        PhoneCall unsigned = new PhoneCall(service.base(), AUTH_TOKEN, mine[1]);
        assertEquals(403, unsigned.post("/twilio/sms", Map.of("From", mine[1], "Body", "CANCEL " + code), null).status());
        assertEquals(403, unsigned.post("/twilio/sms/status", Map.of("MessageSid", "SM1", "MessageStatus", "failed"), "bogus").status());

        assertEquals("active", status(service, code));
        assertEquals(0, remaining(service, site, DAY));
        assertFalse(service.app.services().reminders().optedOut(mine[1]).await(10, TimeUnit.SECONDS));
    }

    @Test
    void stopAndStartAreStoredAndAnsweredInTheirLanguage() throws Exception {
        String[] mine = phone();
        String stopped = message(text(service, mine[1], "STOP", AUTH_TOKEN));
        assertTrue(stopped.startsWith("You will get no more reminders"), stopped);
        assertTrue(service.app.services().reminders().optedOut(mine[1]).await(10, TimeUnit.SECONDS));

        String started = message(text(service, mine[1], "開始", AUTH_TOKEN));
        assertTrue(started.contains("再開しました"), started);
        assertFalse(service.app.services().reminders().optedOut(mine[1]).await(10, TimeUnit.SECONDS));

        String stoppedJa = message(text(service, mine[1], "停止", AUTH_TOKEN));
        assertTrue(stoppedJa.contains("停止しました"), stoppedJa);
        assertTrue(service.app.services().reminders().optedOut(mine[1]).await(10, TimeUnit.SECONDS));

        String help = message(text(service, mine[1], "こんにちは", AUTH_TOKEN));
        assertTrue(help.contains("キャンセル 予約番号"), help);
        assertTrue(message(text(service, mine[1], "hello", AUTH_TOKEN)).startsWith("To cancel a booking reply CANCEL"));
    }

    @Test
    void deliveryReportsAreRecordedAndFailuresListedForOperators() throws Exception {
        var sms = service.app.services().sms();
        String[] delivered = phone();
        String[] undelivered = phone();
        String[] givenUp = phone();
        int before = twilioApi.sent().size();
        assertTrue(sms.send(madoguchi.domain.TextKind.CONFIRMATION, delivered[1], "テスト1").await(20, TimeUnit.SECONDS));
        assertTrue(sms.send(madoguchi.domain.TextKind.CONFIRMATION, undelivered[1], "テスト2").await(20, TimeUnit.SECONDS));
        List<FakeTwilioApi.Sent> sent = twilioApi.awaitSent(before + 2);
        String base = service.base();
        assertEquals(base + "/twilio/sms/status", sent.get(before).form().get("StatusCallback"), "Twilio is asked to report delivery");
        String sidDelivered = sidOf(before + 1);
        String sidUndelivered = sidOf(before + 2);

        PhoneCall twilio = new PhoneCall(base, AUTH_TOKEN, "+81445550000");
        assertEquals(200, twilio.post("/twilio/sms/status", Map.of("MessageSid", sidDelivered, "MessageStatus", "delivered")).status());
        assertEquals(200, twilio.post("/twilio/sms/status", Map.of("MessageSid", sidUndelivered, "MessageStatus", "undelivered",
                "ErrorCode", "30003")).status());
        // a late "failed" does not undo a delivery already reported
        assertEquals(200, twilio.post("/twilio/sms/status", Map.of("MessageSid", sidDelivered, "MessageStatus", "failed")).status());

        // a message every attempt of which fails is given up after the last retry
        twilioApi.failNext(1_000);
        try {
            assertFalse(sms.send(madoguchi.domain.TextKind.CONFIRMATION, givenUp[1], "テスト3").await(20, TimeUnit.SECONDS));
            for (int i = 0; i < 12; i++) {
                clock.advance(Duration.ofDays(1));
                sms.retryDue().await(30, TimeUnit.SECONDS);
            }
        } finally {
            twilioApi.failNext(0);
        }

        assertEquals(401, service.get("/api/v1/operator/sms/failed", null).status());
        TestService.Response r = service.get("/api/v1/operator/sms/failed", TestService.ADMIN_TOKEN);
        assertEquals(200, r.status(), r.toString());
        Map<String, JsonObject> byPhone = new LinkedHashMap<>();
        for (Object o : r.json().getJsonArray("messages")) {
            byPhone.put(((JsonObject) o).getString("phone"), (JsonObject) o);
        }
        assertFalse(byPhone.containsKey(delivered[1]), r.body());
        assertEquals("undelivered", byPhone.get(undelivered[1]).getString("deliveryStatus"), r.body());
        assertEquals("error 30003", byPhone.get(undelivered[1]).getString("deliveryError"));
        assertEquals(10, byPhone.get(givenUp[1]).getInteger("attempts"), r.body());
        assertEquals(null, byPhone.get(givenUp[1]).getString("deliveryStatus"));
    }

    /** The fake gives its n-th accepted message the sid SM + n in 32 digits. */
    private static String sidOf(int n) {
        return String.format("SM%032d", n);
    }
}
