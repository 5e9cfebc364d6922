package madoguchi.telephony;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.support.MutableClock;
import madoguchi.support.PhoneCall;
import madoguchi.support.PhoneCall.Twiml;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The calls report for staffing, made from the calls played through the real webhooks. */
class CallsReportTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final LocalDate DAY = LocalDate.of(2026, 12, 3);
    private static final String AUTH_TOKEN = "test-twilio-auth-token-calls-report";
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        int port = TestService.freePort();
        service = TestService.start(TestDatabase.fresh(), Map.of(
                "PORT", Integer.toString(port),
                "PUBLIC_BASE_URL", "http://127.0.0.1:" + port,
                "TWILIO_ACCOUNT_SID", "ACreport",
                "TWILIO_AUTH_TOKEN", AUTH_TOKEN), new MutableClock(DAY.atTime(10, 20).atZone(TOKYO).toInstant()));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static PhoneCall queued(String from, String result, int seconds) {
        PhoneCall call = new PhoneCall(service.base(), AUTH_TOKEN, from);
        call.dial();
        call.press("1");
        Twiml q = call.press("0");
        Map<String, String> p = call.params();
        p.put("QueuePosition", "2");
        call.follow(call.relative(q.enqueue().getAttribute("waitUrl")), p);
        if (result != null) {
            p.put("QueueResult", result);
            p.put("QueueTime", Integer.toString(seconds));
            call.post(call.relative(q.enqueue().getAttribute("action")), p);
        }
        return call;
    }

    @Test
    void callsPerDayAndHourOutcomesTimeInQueueAbandonedAndCallbacks() {
        queued("+819033330001", "bridged", 30).hangUp();
        queued("+819033330002", "hangup", 90).hangUp();
        PhoneCall quiet = new PhoneCall(service.base(), AUTH_TOKEN, "+819033330003");
        quiet.dial();
        quiet.hangUp();
        PhoneCall back = queued("+819033330004", null, 0);
        back.press("1");
        back.press("1");
        back.hangUp();
        long id = service.get("/api/v1/operator/callbacks", TestService.ADMIN_TOKEN).json().getJsonArray("callbacks")
                .getJsonObject(0).getLong("id");
        assertEquals(200, service.post("/api/v1/operator/callbacks/" + id + "/done", TestService.ADMIN_TOKEN, new JsonObject()).status());

        TestService.Response r = service.get("/api/v1/admin/reports/calls?from=" + DAY + "&to=" + DAY, TestService.ADMIN_TOKEN);
        assertEquals(200, r.status(), r.toString());
        JsonObject total = r.json().getJsonObject("total");
        assertEquals(4, total.getInteger("calls"));
        assertEquals(3, total.getInteger("queued"));
        assertEquals(1, total.getInteger("bridged"));
        assertEquals(1, total.getInteger("abandonedInQueue"));
        assertEquals(60.0, total.getDouble("queueSecondsP50"), 0.01);
        assertEquals(84.0, total.getDouble("queueSecondsP90"), 0.01);
        assertEquals(1, total.getInteger("callbacksAsked"));
        assertEquals(1, total.getInteger("callbacksDone"));
        assertEquals(new JsonObject().put("abandoned", 1).put("callback", 1).put("operator", 2), total.getJsonObject("outcomes"));
        JsonArray days = r.json().getJsonArray("days");
        assertEquals(1, days.size());
        assertEquals(DAY.toString(), days.getJsonObject(0).getString("date"));
        assertEquals(4, days.getJsonObject(0).getInteger("calls"));
        JsonArray hours = r.json().getJsonArray("callsPerHour");
        assertEquals(24, hours.size());
        assertEquals(4, hours.getInteger(10), "all four at 10 o'clock Tokyo");

        assertEquals(400, service.get("/api/v1/admin/reports/calls?from=2026-12-04&to=2026-12-03", TestService.ADMIN_TOKEN).status());
        assertEquals(0, service.get("/api/v1/admin/reports/calls?from=2026-12-04&to=2026-12-05", TestService.ADMIN_TOKEN)
                .json().getJsonObject("total").getInteger("calls"));
    }
}
