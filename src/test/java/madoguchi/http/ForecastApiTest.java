package madoguchi.http;

import io.vertx.core.json.JsonObject;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forecast over HTTP, on the seed's question (section 5: can the cards applied by 30 April
 * be issued by 30 September?) with numbers small enough to check by hand: on 1 July a site has
 * 20 seats a day for the coming 28 days; 1,000 cards applied in April and 500 in May wait.
 */
class ForecastApiTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of(),
                new MutableClock(LocalDate.of(2021, 7, 1).atStartOfDay(TOKYO).toInstant()));
        var site = service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new JsonObject().put("id", "fc")
                .put("name", new JsonObject().put("ja", "予測会場").put("en", "Forecast site")).put("kind", "popup"));
        assertEquals(201, site.status(), site.body());
        var cap = service.put("/api/v1/admin/sites/fc/capacity", TestService.ADMIN_TOKEN, new JsonObject()
                .put("from", "2021-07-01").put("to", "2021-07-28").put("startTime", "10:00").put("endTime", "10:15")
                .put("counters", 10).put("perCounter", 2));
        assertEquals(200, cap.status(), cap.body());
        StringBuilder csv = new StringBuilder("noticeNumber,birthDate,phone,siteId,state,cancelReason,appliedOn\n");
        for (int i = 0; i < 1_500; i++) {
            csv.append(6_100_000_000L + i).append(",1980-01-01,,fc,").append(i % 10 == 0 ? "incomplete" : "ready")
                    .append(",,").append(i < 1_000 ? "2021-04-15" : "2021-05-10").append('\n');
        }
        for (int i = 0; i < 40; i++) { // done with: neither waits
            csv.append(6_200_000_000L + i).append(",1980-01-01,,fc,").append(i % 2 == 0 ? "issued,," : "cancelled,withdrawn,")
                    .append("2021-04-01\n");
        }
        var imported = service.post("/api/v1/admin/cards/import", TestService.ADMIN_TOKEN, csv.toString());
        assertEquals(1_540, imported.json().getInteger("imported"), imported.body());
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static JsonObject site(String query) {
        var r = service.get("/api/v1/admin/reports/forecast" + query, TestService.ADMIN_TOKEN);
        assertEquals(200, r.status(), r.body());
        assertEquals("2021-07-01", r.json().getString("asOf"));
        return r.json().getJsonArray("sites").stream().map(o -> (JsonObject) o)
                .filter(o -> o.getString("siteId").equals("fc")).findFirst().orElseThrow();
    }

    @Test
    void atTheMeasuredPaceTheBacklogClearsOnTheDayWorkedOutByHand() {
        JsonObject fc = site("");
        assertEquals(1_500, fc.getInteger("waiting"), "ready and incomplete cards wait; issued and cancelled do not");
        assertEquals(20.0, fc.getDouble("seatsPerDay"), "560 seats over 28 days");
        assertEquals(1.0, fc.getDouble("bookingRate"), "no past slots: every seat assumed booked");
        assertEquals(0.0, fc.getDouble("noShowRate"));
        assertEquals("2021-09-14", fc.getString("clearedOn"), "1,500 / 20 = 75 days after 1 July");
        assertNull(fc.getJsonObject("deadline"));
    }

    @Test
    void theCardsAppliedByAprilCanBeIssuedBySeptember() {
        JsonObject d = site("?appliedBy=2021-04-30&deadline=2021-09-30").getJsonObject("deadline");
        assertEquals(1_000, d.getInteger("waiting"));
        assertEquals(91, d.getInteger("days"));
        assertEquals(1_820, d.getInteger("canIssue"));
        assertTrue(d.getBoolean("feasible"));
        assertEquals(11, d.getInteger("seatsPerDayNeeded"), "ceil(1,000 / 91)");
        assertEquals(0, d.getInteger("extraSeatsPerDay"));
    }

    @Test
    void withFewerSeatsAndNoShowsTheyCannotAndTheForecastSaysWhatWouldBeNeeded() {
        JsonObject fc = site("?appliedBy=2021-04-30&deadline=2021-09-30&seatsPerDay=5&bookingRate=0.9&noShowRate=0.1");
        assertEquals(4.05, fc.getDouble("issuedPerDay"), 1e-9, "5 × 0.9 × 0.9");
        assertEquals(LocalDate.of(2021, 7, 1).plusDays(371).toString(), fc.getString("clearedOn"), "ceil(1,500 / 4.05)");
        JsonObject d = fc.getJsonObject("deadline");
        assertEquals(368, d.getInteger("canIssue"), "floor(4.05 × 91)");
        assertFalse(d.getBoolean("feasible"));
        assertEquals(14, d.getInteger("seatsPerDayNeeded"), "ceil(1,000 / (91 × 0.81))");
        assertEquals(9, d.getInteger("extraSeatsPerDay"));
    }

    @Test
    void badQueriesAreRefused() {
        for (String q : List.of("?appliedBy=2021-04-30", "?deadline=2021-09-30", "?appliedBy=2021-04-31&deadline=2021-09-30",
                "?bookingRate=1.5", "?noShowRate=-0.1", "?seatsPerDay=abc", "?seatsPerDay=NaN")) {
            var r = service.get("/api/v1/admin/reports/forecast" + q, TestService.ADMIN_TOKEN);
            assertEquals(400, r.status(), q + " " + r.body());
            assertEquals("invalid_request", r.json().getString("error"));
        }
        assertEquals(401, service.get("/api/v1/admin/reports/forecast", null).status());
    }
}
