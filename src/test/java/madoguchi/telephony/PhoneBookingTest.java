package madoguchi.telephony;

import io.vertx.core.json.JsonArray;
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

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole phone calls against the running service: signed webhooks, TwiML parsed as XML, bookings
 * checked through the operator API and text messages through a fake Twilio REST API.
 */
class PhoneBookingTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    /** A Thursday: "12月3日 木曜日" / "Thursday, December 3rd". */
    private static final LocalDate DAY = LocalDate.of(2026, 12, 3);
    static final String AUTH_TOKEN = "test-twilio-auth-token-0123456789";
    private static final String ACCOUNT = "ACtest0123456789";
    private static final AtomicLong NOTICE = new AtomicLong(7_300_000_000L);
    private static final AtomicLong PHONE = new AtomicLong(90_1000_0000L);
    private static MutableClock clock;
    private static FakeTwilioApi twilioApi;
    private static TestService service;
    private static int sites;

    @BeforeAll
    static void start() throws Exception {
        clock = new MutableClock(DAY.minusDays(3).atStartOfDay(TOKYO).toInstant());
        twilioApi = new FakeTwilioApi();
        int port = TestService.freePort();
        service = TestService.start(TestDatabase.fresh(), Map.of(
                "PORT", Integer.toString(port),
                "PUBLIC_BASE_URL", "http://127.0.0.1:" + port,
                "TWILIO_ACCOUNT_SID", ACCOUNT,
                "TWILIO_AUTH_TOKEN", AUTH_TOKEN,
                "TWILIO_FROM_NUMBER", "+81445550000",
                "TWILIO_API_BASE_URL", twilioApi.baseUrl(),
                "MADOGUCHI_VERIFY_FAILURES_PER_CALLER_PER_HOUR", "2"), clock);
    }

    @AfterAll
    static void stop() {
        service.close();
        twilioApi.close();
    }

    /** A new site with four slots on DAY (14:00, 14:15, 14:30, 14:45), {@code seats} each, and one ready card there. */
    private static String siteWithCard(int seats) {
        String site = "phone" + (++sites);
        TestService.Response r = service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new JsonObject().put("id", site)
                .put("name", new JsonObject().put("ja", "テスト会場" + sites).put("en", "Test Site " + sites))
                .put("kind", "popup").put("address", "川崎市"));
        assertEquals(201, r.status(), r.toString());
        r = service.put("/api/v1/admin/sites/" + site + "/capacity", TestService.ADMIN_TOKEN, new JsonObject()
                .put("from", DAY.toString()).put("to", DAY.toString()).put("startTime", "14:00").put("endTime", "15:00")
                .put("counters", 1).put("perCounter", seats));
        assertEquals(200, r.status(), r.toString());
        return site;
    }

    private static long card(String site) {
        long notice = NOTICE.getAndIncrement();
        service.importCards(site, notice, 1);
        return notice;
    }

    private static PhoneCall call() {
        return new PhoneCall(service.base(), AUTH_TOKEN, "+81" + PHONE.getAndIncrement());
    }

    private static JsonArray slots(String site) {
        return service.get("/api/v1/sites/" + site + "/availability?from=" + DAY + "&to=" + DAY + "&channel=phone", null).array();
    }

    private static int remaining(String site, int index) {
        return slots(site).getJsonObject(index).getInteger("remaining");
    }

    private static JsonArray bookings(long notice) {
        TestService.Response r = service.get("/api/v1/operator/bookings?noticeNumber=" + notice, TestService.ADMIN_TOKEN);
        assertEquals(200, r.status(), r.toString());
        return r.array().getJsonObject(0).getJsonArray("bookings");
    }

    private static JsonObject active(long notice) {
        JsonObject found = null;
        for (Object o : bookings(notice)) {
            JsonObject b = (JsonObject) o;
            if ("active".equals(b.getString("status"))) {
                assertEquals(null, found, "two active bookings: " + bookings(notice));
                found = b;
            }
        }
        return found;
    }

    /** Dials, picks the language, the main-menu choice, and verifies with the card's number and birth date. */
    private static Twiml verified(PhoneCall call, String language, String menu, long notice) {
        call.dial();
        call.press("ja".equals(language) ? "1" : "2");
        call.press(menu);
        call.press(Long.toString(notice));
        return call.press("19800101");
    }

    @Test
    void aCallerBooksInJapaneseHearsTheCodeAndGetsItBySms() throws Exception {
        String site = siteWithCard(2);
        long notice = card(site);
        PhoneCall call = call();

        Twiml greeting = call.dial();
        assertTrue(greeting.text().contains("日本語のご案内は1を押してください。"), "a whole sentence, then English: " + greeting.xml);
        assertTrue(greeting.text().contains("For English, press 2"), greeting.xml);
        List<Element> says = greeting.says();
        assertEquals("ja-JP", says.get(0).getAttribute("language"));
        assertEquals("Polly.Kazuha-Neural", says.get(0).getAttribute("voice"));
        assertEquals("en-US", says.get(1).getAttribute("language"));
        Element gather = greeting.gather();
        assertEquals("dtmf speech", gather.getAttribute("input"));
        assertTrue(gather.getAttribute("action").startsWith(service.base() + "/twilio/voice/"), gather.getAttribute("action"));

        Twiml menu = call.press("1");
        assertTrue(menu.text().contains("ご予約は1を"), menu.xml);
        assertEquals("ja-JP", menu.gather().getAttribute("language"));
        Twiml askNotice = call.press("1");
        assertEquals("10", askNotice.gather().getAttribute("numDigits"), "a complete notice number needs no #");
        assertEquals("", askNotice.gather().getAttribute("hints"), "no English hints for a Japanese caller");
        Twiml askBirth = call.press(Long.toString(notice));
        assertTrue(askBirth.text().startsWith(notice + "と入力されました。"), "read back before checking: " + askBirth.xml);
        Twiml offer = call.press("19800101");
        assertTrue(offer.text().startsWith("1980年、昭和55年1月1日と入力されました。"), offer.xml);
        assertTrue(offer.text().contains("最も早い空きは12月3日 木曜日 午後2時です"), offer.xml);
        assertTrue(offer.text().contains("テスト会場"), offer.xml);
        assertEquals(1, remaining(site, 0), "the offered seat is held while the caller decides");

        Twiml booked = call.press("1");
        JsonObject booking = active(notice);
        assertNotNull(booking, "the booking exists");
        assertEquals("phone", booking.getString("channel"));
        String code = booking.getString("code");
        String spokenCode = code;
        assertTrue(booked.text().contains("メモのご用意をお願いいたします。予約番号は" + code + "です。繰り返します。" + code + "です。"),
                "announced, then read twice: " + booked.xml);
        List<Element> groups = new java.util.ArrayList<>();
        org.w3c.dom.NodeList sayAs = booked.root.getElementsByTagName("say-as");
        for (int i = 0; i < sayAs.getLength(); i++) {
            groups.add((Element) sayAs.item(i));
        }
        assertEquals(List.of(code.substring(0, 3), code.substring(3, 6), code.substring(6), code.substring(0, 3), code.substring(3, 6),
                code.substring(6)), groups.stream().map(Element::getTextContent).toList(), "3-3-4, twice");
        assertTrue(groups.stream().allMatch(g -> "digits".equals(g.getAttribute("interpret-as"))), booked.xml);
        assertEquals(6, booked.root.getElementsByTagName("break").getLength(), "a pause after each group: " + booked.xml);
        assertTrue(booked.text().contains("ショートメッセージでもお送りします"), booked.xml);
        assertEquals(1, remaining(site, 0), "the hold became the booking");

        FakeTwilioApi.Sent sms = twilioApi.awaitSentTo(call.from);
        assertEquals(ACCOUNT, sms.accountSid());
        assertEquals(ACCOUNT, sms.authUser());
        assertEquals("+81445550000", sms.form().get("From"));
        assertTrue(sms.form().get("Body").contains(code), sms.form().toString());
        assertTrue(sms.form().get("Body").contains("12月3日 木曜日 午後2時"), sms.form().toString());

        Twiml again = call.press("9");
        assertTrue(again.text().contains(spokenCode), "9 repeats the code");
        Twiml bye = call.silence();
        assertTrue(bye.has("Hangup"), bye.xml);
        call.hangUp();
        assertTrue(service.metrics().contains("madoguchi_ivr_calls_total{outcome=\"booked\"}"));
    }

    @Test
    void aCallerBooksInEnglishBySpeech() {
        String site = siteWithCard(2);
        long notice = card(site);
        PhoneCall call = call();
        call.dial();
        Twiml menu = call.say("English");
        assertTrue(menu.text().contains("To book, press 1"), menu.xml);
        assertEquals("en-US", menu.gather().getAttribute("language"));
        assertEquals("Polly.Joanna-Neural", menu.says().get(0).getAttribute("voice"));
        call.say("I want to book");
        call.press(Long.toString(notice));
        Twiml offer = call.say("January 1st, 1980");
        assertTrue(offer.text().contains("At Test Site"), offer.xml);
        assertTrue(offer.text().contains("the earliest free time is Thursday, December 3rd at 2 PM"), offer.xml);
        Twiml booked = call.say("yes");
        String code = active(notice).getString("code");
        assertTrue(booked.text().contains("Your booking code is " + code + ". Again: " + code), booked.xml);
        call.hangUp();
    }

    @Test
    void nextSlotTwiceThenAcceptBooksTheThirdAndFreesTheOthers() {
        String site = siteWithCard(1);
        long notice = card(site);
        PhoneCall call = call();
        Twiml offer = verified(call, "en", "1", notice);
        assertTrue(offer.text().contains("December 3rd at 2 PM"), offer.xml);
        offer = call.press("4");
        assertTrue(offer.text().contains("December 3rd at 2:15 PM"), offer.xml);
        assertEquals(1, remaining(site, 0), "the first hold was given back");
        assertEquals(0, remaining(site, 1));
        offer = call.say("next time");
        assertTrue(offer.text().contains("December 3rd at 2:30 PM"), offer.xml);
        call.press("1");
        JsonObject booking = active(notice);
        assertEquals(slots(site).getJsonObject(2).getLong("slotId"), booking.getLong("slotId"));
        assertEquals(List.of(1, 1, 0, 1), List.of(remaining(site, 0), remaining(site, 1), remaining(site, 2), remaining(site, 3)));
        call.hangUp();
    }

    @Test
    void anotherDayJumpsPastTheOfferedDay() {
        String site = siteWithCard(1);
        service.put("/api/v1/admin/sites/" + site + "/capacity", TestService.ADMIN_TOKEN, new JsonObject()
                .put("from", DAY.plusDays(1).toString()).put("to", DAY.plusDays(1).toString()).put("startTime", "09:00")
                .put("endTime", "09:15").put("counters", 1).put("perCounter", 1));
        long notice = card(site);
        PhoneCall call = call();
        verified(call, "ja", "1", notice);
        Twiml askDay = call.press("2");
        assertTrue(askDay.text().contains("月と日を4けたで"), askDay.xml);
        Twiml offer = call.press("1204#");
        assertTrue(offer.text().contains("12月4日 金曜日 午前9時"), offer.xml);
        call.hangUp();
        assertEquals(1, remaining(site, 0), "hanging up gave the held seat back");
    }

    @Test
    void aCallerChecksAndCancelsTheirBooking() throws Exception {
        String site = siteWithCard(2);
        long notice = card(site);
        PhoneCall booker = call();
        verified(booker, "ja", "1", notice);
        booker.press("1");
        booker.hangUp();
        String code = active(notice).getString("code");

        PhoneCall call = call();
        Twiml read = verified(call, "ja", "2", notice);
        assertTrue(read.text().contains("ご予約は、テスト会場"), read.xml);
        assertTrue(read.text().contains("12月3日 木曜日 午後2時"), read.xml);
        assertTrue(read.text().contains(code), read.xml);
        Twiml confirm = call.press("2");
        assertTrue(confirm.text().contains("取り消します"), confirm.xml);
        Twiml done = call.press("1");
        assertTrue(done.text().contains("取り消しました"), done.xml);
        assertTrue(done.text().contains("ショートメッセージでもお知らせいたします"), done.xml);
        assertTrue(done.has("Hangup"));
        FakeTwilioApi.Sent sms = twilioApi.awaitSentTo(call.from);
        assertTrue(sms.form().get("Body").contains("取り消しました") && sms.form().get("Body").contains(code), sms.form().toString());
        assertEquals(null, active(notice));
        assertEquals(2, remaining(site, 0), "the seat is free again");
        call.hangUp();
    }

    @Test
    void aCallerReschedulesTheirBooking() throws Exception {
        String site = siteWithCard(1);
        long notice = card(site);
        PhoneCall booker = call();
        verified(booker, "en", "1", notice);
        booker.press("1");
        booker.hangUp();

        PhoneCall call = call();
        verified(call, "en", "2", notice);
        Twiml offer = call.press("3");
        assertTrue(offer.text().contains("December 3rd at 2:15 PM is free. To move your booking there, press 1"), offer.xml);
        Twiml moved = call.press("1");
        assertTrue(moved.text().contains("Your booking is changed to Test Site"), "changed, not booked: " + moved.xml);
        assertFalse(moved.text().contains("is booked"), moved.xml);
        assertTrue(moved.text().contains("2:15 PM"), moved.xml);
        assertTrue(twilioApi.awaitSentTo(call.from).form().get("Body").contains("changed"), "the change confirmed by SMS");
        JsonObject booking = active(notice);
        assertEquals(slots(site).getJsonObject(1).getLong("slotId"), booking.getLong("slotId"));
        assertEquals(1, remaining(site, 0), "the old seat is given back");
        assertEquals(0, remaining(site, 1));
        call.hangUp();
    }

    @Test
    void zeroPutsTheCallerThroughToTheOperatorQueueWhichTellsThePlaceInLine() {
        PhoneCall call = call();
        call.dial();
        call.press("1");
        Twiml queued = call.press("0");
        assertTrue(queued.text().contains("オペレーターにおつなぎします"), queued.xml);
        Element enqueue = queued.enqueue();
        assertEquals("madoguchi-operators", enqueue.getTextContent().trim());
        String waitUrl = call.relative(enqueue.getAttribute("waitUrl"));
        assertTrue(waitUrl.startsWith("/twilio/voice/queue/wait"), waitUrl);

        Map<String, String> p = call.params();
        p.put("QueuePosition", "3");
        p.put("CurrentQueueSize", "5");
        Twiml waiting = call.post(waitUrl, p).twiml();
        assertTrue(waiting.text().contains("お待たせしております。お客様の順番は3番目です"), waiting.xml);
        assertTrue(waiting.text().contains("折り返しのお電話をご希望の場合は1を"), waiting.xml);
        assertEquals("1", waiting.gather().getAttribute("numDigits"));
        assertTrue(service.metrics().contains("madoguchi_operator_queue_length"));

        Map<String, String> left = call.params();
        left.put("QueueResult", "bridged");
        assertTrue(call.post(call.relative(enqueue.getAttribute("action")), left).twiml().has("Hangup"));
        call.hangUp();
    }

    @Test
    void threeFailedInputsInARowLeadToTheOperatorQueue() {
        PhoneCall call = call();
        call.dial();
        call.press("2");
        Twiml first = call.press("7");
        assertTrue(first.text().contains("We could not understand your input"), first.xml);
        assertTrue(first.text().contains("To book, press 1"), "the question is asked again");
        call.silence();
        Twiml third = call.say("banana");
        assertTrue(third.text().contains("connecting you to an operator"), third.xml);
        assertNotNull(third.enqueue());
        call.hangUp();
    }

    @Test
    void aWaitingCallerLeavesACallbackRequestThatOperatorsSeeAndClose() {
        PhoneCall call = call();
        call.dial();
        call.press("2");
        Twiml queued = call.press("0");
        Map<String, String> position = call.params();
        position.put("QueuePosition", "2");
        Twiml waiting = call.post(call.relative(queued.enqueue().getAttribute("waitUrl")), position).twiml();
        Map<String, String> p = call.params();
        p.put("Digits", "1");
        Twiml when = call.post(call.relative(waiting.gather().getAttribute("action")), p).twiml();
        assertTrue(when.text().contains("For the morning, press 1"), when.xml);
        p.put("Digits", "3");
        String action = call.relative(when.gather().getAttribute("action"));
        Twiml recorded = call.post(action, p).twiml();
        assertTrue(recorded.text().contains("An operator will call you back"), recorded.xml);
        assertTrue(recorded.has("Hangup"));
        call.post(action, p).twiml(); // Twilio retrying: still one request

        TestService.Response list = service.get("/api/v1/operator/callbacks", TestService.ADMIN_TOKEN);
        assertEquals(200, list.status(), list.toString());
        List<JsonObject> mine = list.json().getJsonArray("callbacks").stream().map(o -> (JsonObject) o)
                .filter(c -> call.from.equals(c.getString("phone"))).toList();
        assertEquals(1, mine.size(), list.toString());
        JsonObject cb = mine.get(0);
        assertEquals("en", cb.getString("language"));
        assertEquals("open", cb.getString("state"));
        assertEquals("any", cb.getString("preferred"));
        assertTrue(cb.getString("requestedAt").endsWith("+09:00"), cb.toString());

        assertEquals(401, service.get("/api/v1/operator/callbacks", null).status());
        TestService.Response done = service.post("/api/v1/operator/callbacks/" + cb.getLong("id") + "/done", TestService.ADMIN_TOKEN, null);
        assertEquals(200, done.status(), done.toString());
        assertEquals("done", done.json().getString("state"));
        assertEquals(404, service.post("/api/v1/operator/callbacks/999999/done", TestService.ADMIN_TOKEN, null).status());
        assertTrue(service.metrics().contains("madoguchi_callback_requests_total"));
        call.hangUp();
    }

    @Test
    void forgedOrUnsignedRequestsGet403AndChangeNothing() {
        String site = siteWithCard(1);
        long notice = card(site);
        PhoneCall call = call();
        verified(call, "ja", "1", notice);
        String action = call.gatherAction();
        Map<String, String> p = call.params();
        p.put("Digits", "1");

        assertEquals(403, call.post(action, p, null).status(), "unsigned");
        assertEquals(403, call.post(action, p, "bm90IGEgc2lnbmF0dXJl").status(), "forged");
        Map<String, String> signedOther = call.params();
        signedOther.put("Digits", "2");
        String signature = new TwilioSigner(AUTH_TOKEN).sign(service.base() + action, signedOther);
        assertEquals(403, call.post(action, p, signature).status(), "a signature of other parameters");
        String wrongKey = new TwilioSigner("another-token").sign(service.base() + action, p);
        assertEquals(403, call.post(action, p, wrongKey).status(), "signed with another token");
        assertEquals(null, active(notice), "nothing was booked");
        assertTrue(service.metrics().contains("madoguchi_ivr_signature_failures_total 4.0")
                || service.metrics().matches("(?s).*madoguchi_ivr_signature_failures_total [4-9].*"));

        Twiml booked = call.press("1");
        assertTrue(booked.text().contains("ご予約を承りました"), booked.xml);
        assertNotNull(active(notice));
        call.hangUp();
    }

    @Test
    void aRetriedWebhookGetsTheSameAnswerAndBooksOnce() {
        String site = siteWithCard(2);
        long notice = card(site);
        PhoneCall call = call();
        verified(call, "ja", "1", notice);
        String action = call.gatherAction();
        Map<String, String> p = call.params();
        p.put("Digits", "1");
        PhoneCall.Answer first = call.post(action, p);
        PhoneCall.Answer retry = call.post(action, p);
        assertEquals(200, retry.status());
        assertEquals(first.body(), retry.body());
        long active = bookings(notice).stream().filter(b -> "active".equals(((JsonObject) b).getString("status"))).count();
        assertEquals(1, active);
        assertEquals(1, remaining(site, 0));
        call.hangUp();
    }

    @Test
    void aCallWhoseStateWasLostStartsAgainPolitely() {
        PhoneCall call = call();
        Map<String, String> p = call.params();
        p.put("Digits", "1");
        Twiml again = call.post("/twilio/voice/step?n=4", p).twiml();
        assertTrue(again.text().contains("通話の情報が失われました"), again.xml);
        assertTrue(again.text().contains("日本語のご案内は1を"), again.xml);
        call.hangUp();
    }

    @Test
    void aCallerBookingAt2230ForTomorrowGetsTheReminderInTheConfirmationAndNoneAt8() throws Exception {
        String site = siteWithCard(1);
        long notice = card(site);
        java.time.Instant before = clock.instant();
        clock.set(DAY.minusDays(1).atTime(22, 30).atZone(TOKYO).toInstant());
        try {
            PhoneCall call = call();
            Twiml offer = verified(call, "en", "1", notice);
            assertTrue(offer.text().contains("Thursday, December 3rd"), offer.xml);
            call.press("1");
            String code = active(notice).getString("code");
            String body = twilioApi.awaitSentTo(call.from).form().get("Body");
            assertTrue(body.contains(code), body);
            assertTrue(body.endsWith(" That is tomorrow: this message is also your reminder (no other will follow)."), body);
            call.hangUp();
            // the fake Twilio API has the message before the outbox has recorded it as sent: moving the
            // clock past its two-minute lease before that would let the retry below send it again
            awaitRecordedAsSent(call.from);

            var reminders = service.app.services().reminders();
            assertEquals(0, reminders.runDue().await(30, java.util.concurrent.TimeUnit.SECONDS), "its reminder is recorded");
            clock.set(DAY.atTime(8, 0).atZone(TOKYO).toInstant());
            assertEquals(0, reminders.runDue().await(30, java.util.concurrent.TimeUnit.SECONDS));
            service.app.services().sms().retryDue().await(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(1, twilioApi.sent().stream().filter(m -> call.from.equals(m.form().get("To"))).count(),
                    "one SMS for the booking: " + twilioApi.sent());
        } finally {
            clock.set(before);
        }
    }

    /** Waits (up to 10 s) until every message to {@code phone} is recorded as sent in the outbox. */
    private static void awaitRecordedAsSent(String phone) throws Exception {
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        try (java.sql.Connection c = TestDatabase.connect(service.database);
             java.sql.PreparedStatement unsent = c.prepareStatement("SELECT count(*) FROM sms_outbox WHERE phone = ? AND sent_at IS NULL")) {
            unsent.setString(1, phone);
            while (true) {
                try (java.sql.ResultSet rs = unsent.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) == 0) {
                        return;
                    }
                }
                assertTrue(System.nanoTime() < until, "the outbox never recorded the message to " + phone + " as sent");
                Thread.sleep(20);
            }
        }
    }

    @Test
    void aLockedCallerHearsWhyAndUntilWhen() {
        String site = siteWithCard(1);
        long notice = card(site);
        PhoneCall call = call();
        call.dial();
        call.press("2");
        call.press("1");
        call.press(Long.toString(notice));
        Twiml wrong = call.press("19990101");
        assertTrue(wrong.text().contains("do not match"), wrong.xml);
        Twiml locked = call.press("19990102");
        // the clock stands at 2026-11-30 00:00 Tokyo: this phone number is locked for the hour, said with
        // its date, and the caller is offered an operator (0) rather than hung up on or queued unasked
        assertTrue(locked.text().contains("checks from it are paused until Monday, November 30th at 1 AM"), locked.xml);
        assertTrue(locked.text().contains("To speak to an operator, press 0. Otherwise, you may hang up."), locked.xml);
        assertTrue(locked.has("Gather"), locked.xml);
        assertFalse(locked.has("Enqueue"), locked.xml);
        assertFalse(locked.has("Hangup"), locked.xml);
        Twiml queued = call.press("0");
        assertEquals("madoguchi-operators", queued.enqueue().getTextContent().trim(), queued.xml);
        call.hangUp();

        PhoneCall again = new PhoneCall(service.base(), AUTH_TOKEN, call.from);
        Twiml still = verified(again, "en", "1", notice);
        assertTrue(still.text().contains("from this phone number: checks from it are paused"), "even with the right birth date: " + still.xml);
        assertTrue(still.text().contains("press 0"), still.xml);
        // silence: a polite goodbye, no queue
        Twiml bye = again.silence();
        assertTrue(bye.text().contains("Thank you for calling. Goodbye."), bye.xml);
        assertTrue(bye.has("Hangup"), bye.xml);
        assertFalse(bye.has("Enqueue"), bye.xml);
    }

    @Test
    void aLockedJapaneseCallerHearsWhatIsLockedUntilWhenWithTheDateAndReachesTheOperators() {
        String site = siteWithCard(1);
        long notice = card(site);
        PhoneCall call = call();
        call.dial();
        call.press("1");
        call.press("1");
        call.press(Long.toString(notice));
        Twiml wrong = call.press("19990101");
        assertTrue(wrong.text().contains("番号と生年月日が一致しませんでした"), wrong.xml);
        Twiml locked = call.press("19990102");
        // this phone number (the service allows 2 failures per caller here), until when with its date, then the operators
        assertTrue(locked.text().contains("この電話番号からの確認に失敗が続いたため、11月30日 月曜日 午前1時までこの電話番号からの確認を止めています。"),
                locked.xml);
        assertTrue(locked.text().contains("オペレーターとお話しになる場合は、0を押してください。このままお切りいただいても結構です。"), locked.xml);
        assertFalse(locked.has("Enqueue"), locked.xml);
        assertFalse(locked.has("Hangup"), locked.xml);
        Twiml queued = call.press("0");
        assertTrue(queued.text().contains("オペレーターにおつなぎします"), queued.xml);
        assertEquals("madoguchi-operators", queued.enqueue().getTextContent().trim());
        call.hangUp();
    }

    @Test
    void aGivenDayAndPartOfTheDayIsReachedInTwoInputsAfterAnEraDateAndBooked() {
        String site = siteWithCard(1);
        service.put("/api/v1/admin/sites/" + site + "/capacity", TestService.ADMIN_TOKEN, new JsonObject()
                .put("from", DAY.plusDays(1).toString()).put("to", DAY.plusDays(1).toString()).put("startTime", "09:00")
                .put("endTime", "18:00").put("counters", 1).put("perCounter", 1));
        long notice = card(site);
        PhoneCall call = call();
        call.dial();
        call.press("1");
        call.press("1");
        call.press(Long.toString(notice));
        // 和暦 on the keypad: 3 (昭和), then 550101, then #
        Twiml offer = call.press("3550101#");
        assertTrue(offer.text().startsWith("1980年、昭和55年1月1日と入力されました。"), offer.xml);
        assertTrue(offer.text().contains("最も早い空きは12月3日 木曜日 午後2時です"), offer.xml);
        // another day (2), then 12月4日 and the evening (3) in one entry: two inputs
        Twiml askDay = call.press("2");
        assertTrue(askDay.text().contains("月と日を4けたで"), askDay.xml);
        Twiml evening = call.press("12043#");
        assertTrue(evening.text().contains("最も早い空きは12月4日 金曜日 午後5時です"), evening.xml);
        // a part of the day offered (3, then 1 for the morning): the morning of 12月4日
        Twiml part = call.press("3");
        assertTrue(part.text().contains("午前は1、午後は2、夕方は3"), part.xml);
        Twiml morning = call.press("1");
        assertTrue(morning.text().contains("12月4日 金曜日 午前9時です"), morning.xml);
        call.press("3");
        Twiml noon = call.press("2");
        assertTrue(noon.text().contains("12月4日 金曜日 正午です"), "noon is 正午: " + noon.xml);
        Twiml booked = call.press("1");
        assertTrue(booked.text().contains("12月4日 金曜日 正午でご予約を承りました"), booked.xml);
        JsonObject booking = active(notice);
        assertNotNull(booking);
        assertEquals(DAY.plusDays(1) + "T12:00:00+09:00", booking.getString("start"), booking.encode());
        call.hangUp();
    }

    @Test
    void aDayWithNothingFreeIsSaidAndTheFirstFreeTimeAfterItOffered() {
        String site = siteWithCard(1);
        long notice = card(site);
        PhoneCall call = call();
        verified(call, "en", "1", notice);
        call.press("2");
        Twiml later = call.press("1202#");
        assertTrue(later.text().contains("There is no free time on Wednesday, December 2nd."), later.xml);
        assertTrue(later.text().contains("the earliest free time is Thursday, December 3rd at 2 PM"), later.xml);
        call.press("2");
        Twiml invalid = call.press("1332#");
        assertTrue(invalid.text().contains("We cannot take that date."), invalid.xml);
        assertTrue(invalid.text().contains("month and day as 4 digits"), "asked again: " + invalid.xml);
        call.hangUp();
    }

    @Test
    void theCallSimulatorBooksAndTheBookingShowsUpForOperators() throws Exception {
        String site = siteWithCard(2);
        long notice = card(site);
        String typed = String.join("\n", "1", "1", notice + "#", "19800101", "1", "") + "\n";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit = CallSimulator.run(new String[]{"call", "--to", service.base() + "/twilio/voice", "--from", "+819077778888"},
                Map.of("TWILIO_AUTH_TOKEN", AUTH_TOKEN), new java.io.ByteArrayInputStream(typed.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, exit, printed + err);
        String code = active(notice).getString("code");
        assertTrue(printed.contains("でご予約を承りました"), printed);
        assertTrue(printed.contains(code), printed);
        assertTrue(printed.contains("(the call ends)"), printed);
        assertTrue(twilioApi.awaitSentTo("+819077778888").form().get("Body").contains(code), "the SMS went out");

        int wrongToken = CallSimulator.run(new String[]{"call", "--to", service.base() + "/twilio/voice"},
                Map.of("TWILIO_AUTH_TOKEN", "not-the-token"), new java.io.ByteArrayInputStream(new byte[0]),
                new java.io.PrintStream(out, true), new java.io.PrintStream(err, true));
        assertEquals(1, wrongToken);
        assertTrue(err.toString().contains("403"), err.toString());
    }
}
