package madoguchi.http;

import io.vertx.core.json.JsonArray;
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
 * The outlook's booked seats ahead and counters, over HTTP on PostgreSQL, with figures checked by
 * hand. On 1 July 2021 (as of 30 June), Kita opens weekdays 09:00-12:00 from 1 to 28 July, 2
 * counters of 1 resident a quarter hour: one counter issues 12 an open day, 5 open days a week,
 * 12 × 5 / 7 = 8.57 a calendar day. It issued 60 cards in June (2 a day); 300 applied by 30 April
 * wait. Minami has 50 waiting, issued none and has no opening hours.
 */
class OutlookCountersTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final String Q = "/api/v1/admin/reports/outlook?asOf=2021-06-30&appliedBy=2021-04-30&deadline=2021-07-28";
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of(),
                new MutableClock(LocalDate.of(2021, 7, 1).atTime(9, 0).atZone(TOKYO).toInstant()));
        for (String site : List.of("kita", "minami")) {
            var r = service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new JsonObject().put("id", site)
                    .put("name", new JsonObject().put("ja", site + "区役所").put("en", site + " Ward Office")).put("kind", "ward"));
            assertEquals(201, r.status(), r.body());
        }
        var cap = service.put("/api/v1/admin/sites/kita/capacity", TestService.ADMIN_TOKEN, new JsonObject()
                .put("from", "2021-07-01").put("to", "2021-07-28").put("weekdays", new JsonArray(List.of(1, 2, 3, 4, 5)))
                .put("startTime", "09:00").put("endTime", "12:00").put("counters", 2).put("perCounter", 1));
        assertEquals(200, cap.status(), cap.body());
        StringBuilder csv = new StringBuilder("noticeNumber,birthDate,phone,siteId,state,cancelReason,appliedOn,changedOn\n");
        for (int i = 0; i < 300; i++) {
            csv.append(7_100_000_000L + i).append(",1980-01-01,,kita,ready,,2021-04-10,2021-04-20\n");
        }
        for (int i = 0; i < 60; i++) {
            csv.append(7_200_000_000L + i).append(",1980-01-01,,kita,issued,,2021-03-10,2021-06-15\n");
        }
        for (int i = 0; i < 50; i++) {
            csv.append(7_300_000_000L + i).append(",1980-01-01,,minami,ready,,2021-04-20,2021-04-25\n");
        }
        var imported = service.post("/api/v1/admin/cards/import", TestService.ADMIN_TOKEN, csv.toString());
        assertEquals(410, imported.json().getInteger("imported"), imported.body());

        // five residents book Monday 5 July: one cancels, one is handed the card early; three stay booked
        JsonArray slots = service.get("/api/v1/sites/kita/availability?from=2021-07-05&to=2021-07-05&channel=operator", null).array();
        assertEquals(12, slots.size(), slots.encode());
        String[] codes = new String[5];
        for (int i = 0; i < 5; i++) {
            String token = service.verify(7_100_000_000L + i);
            var booked = service.post("/api/v1/bookings", token, new JsonObject().put("slotId", slots.getJsonObject(i).getLong("slotId")));
            assertEquals(201, booked.status(), booked.body());
            codes[i] = booked.json().getString("code");
            if (i == 0) {
                assertEquals(200, service.delete("/api/v1/bookings/" + codes[i], token).status());
            }
        }
        var issued = service.post("/api/v1/operator/bookings/" + codes[1] + "/issued", TestService.ADMIN_TOKEN, null);
        assertEquals(200, issued.status(), issued.body());
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static JsonObject get(String query) {
        var r = service.get(query, TestService.ADMIN_TOKEN);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private static JsonObject site(JsonObject answer, String id) {
        return answer.getJsonArray("sites").stream().map(o -> (JsonObject) o).filter(o -> o.getString("siteId").equals(id))
                .findFirst().orElseThrow();
    }

    @Test
    void bookedSeatsAheadAreTheActiveBookingsAndTheSeatsLeft() {
        JsonObject r = get(Q);
        JsonObject kita = site(r, "kita");
        assertEquals(3, kita.getInteger("bookedAhead"), "five booked, one cancelled, one issued: " + kita.encode());
        assertEquals(480, kita.getInteger("seatsAhead"), "20 weekdays × 12 quarter hours × 2 seats");
        assertEquals(476, kita.getInteger("freeSeatsAhead"), "the cancelled seat is free again, the issued one is used");
        JsonObject minami = site(r, "minami");
        assertEquals(0, minami.getInteger("bookedAhead"));
        assertEquals(0, minami.getInteger("seatsAhead"));
        JsonObject city = r.getJsonObject("city");
        assertEquals(3, city.getInteger("bookedAhead"));
        assertEquals(480, city.getInteger("seatsAhead"));
        assertEquals(476, city.getInteger("freeSeatsAhead"));
        assertEquals(0, get(Q.replace("asOf=2021-06-30", "asOf=2021-07-06")).getJsonObject("city").getInteger("bookedAhead"),
                "nothing booked from 6 July on");
    }

    @Test
    void theShortfallInCountersFromTheOpeningRules() {
        JsonObject r = get(Q);
        assertEquals(new JsonObject().put("from", "2021-07-01").put("days", 28), r.getJsonObject("counterWindow"));
        JsonObject kita = site(r, "kita");
        assertEquals(300, kita.getInteger("waitingAppliedBy"));
        assertEquals(2.0, kita.getDouble("issuedPerDay"), "60 issued in June's 30 days");
        assertEquals(11, kita.getInteger("neededPerDay"), "300 / 28 days = 10.7");
        assertEquals(9, kita.getInteger("extraNeededPerDay"));
        JsonObject counter = kita.getJsonObject("counter");
        assertEquals(12.0, counter.getDouble("perOpenDay"), "12 quarter hours × 1");
        assertEquals(5.0, counter.getDouble("openDaysPerWeek"), "20 open days in 28");
        assertEquals(8.6, counter.getDouble("perDay"), "12 × 5 / 7 = 8.57");
        assertEquals(4.0, counter.getDouble("perHour"));
        assertEquals(2, kita.getInteger("countersNeeded"), "9 / 8.57 = 1.05 → 2 more counters");

        JsonObject minami = site(r, "minami");
        assertEquals(0.0, minami.getDouble("issuedPerDay"));
        assertEquals(2, minami.getInteger("extraNeededPerDay"), "50 / 28 = 1.8 → 2 a day, all of it short");
        assertNull(minami.getValue("counter"), "no opening hours: no counter to count in");
        assertNull(minami.getValue("countersNeeded"));
        JsonObject city = r.getJsonObject("city");
        assertEquals(2, city.getInteger("countersNeeded"), "Kita's; Minami's cannot be counted");
        assertEquals(new JsonArray(List.of("minami")), city.getJsonArray("countersUnknown"));

        JsonObject noDeadline = get("/api/v1/admin/reports/outlook?asOf=2021-06-30");
        assertNull(site(noDeadline, "kita").getValue("countersNeeded"), "no deadline, no shortfall");
        assertNull(noDeadline.getJsonObject("city").getValue("countersNeeded"));
        assertEquals(28, noDeadline.getJsonObject("counterWindow").getInteger("days"), "the 4 weeks after asOf");
    }

    @Test
    void theWhatIfInCountersSaturdaysAndAWalkInSite() {
        // 2 counters at Kita: 2 × 8.57 = 17.1 a day; 2 Saturdays of 3 hours, 2 counters, 4 an hour: 48 a month = 1.6 a day;
        // a walk-in site of 70 tickets a day on 5 days a week: 50 a day
        JsonObject r = get(Q + "&extraCounters=kita:2&saturdays=kita:2:3:2&walkInTicketsPerDay=70&walkInDaysPerWeek=5");
        JsonObject kita = site(r, "kita");
        assertEquals(18.7, kita.getDouble("whatIfPerDay"), "17.14 + 1.58");
        assertEquals(20.7, kita.getDouble("issuedPerDay"), "2 observed + 18.72");
        assertTrue(kita.getBoolean("feasible"));
        assertEquals("2021-07-15", kita.getString("appliedByIssuedOn"), "300 / 20.72 = 14.5 → 15 days");
        assertEquals(0, kita.getInteger("countersNeeded"));
        JsonArray conversions = r.getJsonObject("whatIf").getJsonArray("conversions");
        assertEquals(new JsonObject().put("kind", "extraCounters").put("siteId", "kita").put("perDay", 17.1), conversions.getJsonObject(0));
        assertEquals(new JsonObject().put("kind", "saturdays").put("siteId", "kita").put("perDay", 1.6), conversions.getJsonObject(1));
        assertEquals(new JsonObject().put("kind", "walkIn").putNull("siteId").put("perDay", 50.0), conversions.getJsonObject(2));
        assertEquals(68.7, r.getJsonObject("whatIf").getDouble("perDay"));
        JsonObject city = r.getJsonObject("city");
        assertEquals(70.7, city.getDouble("issuedPerDay"), "2 + 18.72 + 50");
        assertEquals("2021-07-05", city.getString("appliedByIssuedOn"), "350 / 70.72 = 4.9 → 5 days");
        assertEquals(0, city.getInteger("countersNeeded"), "Kita is served; Minami is not short of the city's pace, but of its own");
        assertEquals(new JsonArray(List.of("minami")), city.getJsonArray("countersUnknown"));

        JsonObject one = site(get(Q + "&extraCounters=kita:1"), "kita");
        assertFalse(one.getBoolean("feasible"), "one counter is 8.57 of the 9 short");
        assertEquals(1, one.getInteger("countersNeeded"), "one more still");
    }

    @Test
    void badWhatIfsAreRefusedWithTheirCode() {
        for (String q : List.of("extraCounters=kita", "extraCounters=kita:0", "extraCounters=kita:2,kita:1", "extraCounters=Kita:2",
                "saturdays=kita:2:3", "saturdays=kita:6:3:2", "saturdays=kita:2:0.2:2", "saturdays=kita:2:13:1",
                "walkInTicketsPerDay=100", "walkInTicketsPerDay=100&walkInDaysPerWeek=8", "walkInDaysPerWeek=5",
                "walkInTicketsPerDay=1.5&walkInDaysPerWeek=5")) {
            var r = service.get(Q + "&" + q, TestService.ADMIN_TOKEN);
            assertEquals(400, r.status(), q + " " + r.body());
            assertEquals("invalid_request", r.json().getString("error"), q);
        }
        var unknown = service.get(Q + "&extraCounters=nowhere:1", TestService.ADMIN_TOKEN);
        assertEquals(400, unknown.status());
        assertEquals("unknown_site", unknown.json().getString("error"));
        var closed = service.get(Q + "&saturdays=minami:2:3:2", TestService.ADMIN_TOKEN);
        assertEquals(400, closed.status(), closed.body());
        assertEquals("site_not_open", closed.json().getString("error"));
        assertTrue(closed.json().getString("message").contains("minami"), closed.body());
    }
}
