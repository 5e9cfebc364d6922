package madoguchi.http;

import io.vertx.core.json.JsonObject;
import madoguchi.store.DemoData;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A holiday added by an administrator plans the day again at every site of the demo, by the
 * city's real hours: ward offices are closed on holidays (their bookings displaced), the card
 * center opens its holiday hours 9:00-17:00 instead of 12:00-20:00. The dry run names exactly
 * those bookings and writes nothing; applying keeps them as overrides.
 */
class HolidayTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final LocalDate DAY = LocalDate.of(2027, 2, 8); // a Monday, no national holiday
    private static final String OP = TestService.ADMIN_TOKEN;
    private static final long CENTER_CARD = DemoData.FIRST_NOTICE;
    private static final long WARD_CARD = 2_100_020_006L; // Kawasaki's first demo card (docs/residents.md)
    private static TestService service;
    private static String centerCode;
    private static String wardCode;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of("MADOGUCHI_DEMO", "true"),
                new MutableClock(LocalDate.of(2027, 2, 1).atTime(9, 0).atZone(TOKYO).toInstant()));
        centerCode = book(CENTER_CARD, "center", "T18:00");
        wardCode = book(WARD_CARD, "kawasaki", "T09:00");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static String book(long card, String site, String time) {
        var token = service.post("/api/v1/residents/verify", null, new JsonObject().put("noticeNumber", Long.toString(card))
                .put("birthDate", DemoData.birthDate((int) (card - DemoData.FIRST_NOTICE)).toString())).json().getString("token");
        long slot = service.get("/api/v1/sites/" + site + "/availability?channel=web&from=" + DAY + "&to=" + DAY, null).array().stream()
                .map(o -> (JsonObject) o).filter(s -> s.getString("start").startsWith(DAY + time)).findFirst().orElseThrow().getLong("slotId");
        var r = service.post("/api/v1/bookings", token, new JsonObject().put("slotId", slot));
        assertEquals(201, r.status(), r.body());
        return r.json().getString("code");
    }

    private static int seats(String site, String time) throws Exception {
        try (Connection c = TestDatabase.connect(service.database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(sum(capacity), -1) FROM slots WHERE site_id = '" + site + "'"
                     + " AND start_at = '" + DAY + time + ":00+09:00'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static JsonObject site(JsonObject answer, String id) {
        return answer.getJsonArray("sites").stream().map(o -> (JsonObject) o).filter(s -> s.getString("siteId").equals(id))
                .findFirst().orElseThrow();
    }

    @Test
    void aHolidayAddedDisplacesTheRightBookingsFirstInTheDryRun() throws Exception {
        JsonObject holiday = new JsonObject().put("date", DAY.toString()).put("nameJa", "市の休庁日").put("nameEn", "City closure day")
                .put("displaced", "keep");
        var dry = service.post("/api/v1/admin/holidays?dryRun=true", OP, holiday);
        assertEquals(200, dry.status(), dry.body());
        assertEquals(false, dry.json().getBoolean("applied"));
        assertEquals(2, dry.json().getInteger("bookingsDisplaced"), dry.body());
        assertEquals(wardCode, site(dry.json(), "kawasaki").getJsonArray("displaced").getJsonObject(0).getString("code"));
        assertEquals(centerCode, site(dry.json(), "center").getJsonArray("displaced").getJsonObject(0).getString("code"));
        assertTrue(site(dry.json(), "center").getInteger("slotsAdded") > 0, "the center's holiday morning opens: " + dry.body());
        assertEquals(0, site(dry.json(), "saiwai").getJsonArray("displaced").size());
        assertTrue(seats("kawasaki", "T09:00") > 0, "the dry run changed nothing");
        assertEquals(-1, seats("center", "T09:00"), "no morning slot at the center yet");

        var applied = service.post("/api/v1/admin/holidays", OP, holiday);
        assertEquals(200, applied.status(), applied.body());
        assertEquals(2, applied.json().getInteger("bookingsDisplaced"));
        assertEquals(0, seats("kawasaki", "T09:00"), "ward offices are closed on holidays");
        assertEquals(0, seats("center", "T18:00"), "the center's weekday evening is not open on a holiday");
        assertTrue(seats("center", "T09:00") > 0, "its holiday hours are");
        try (Connection c = TestDatabase.connect(service.database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM holidays WHERE day = '" + DAY + "'),"
                     + " (SELECT count(*) FROM audit_log WHERE action = 'holiday.add'),"
                     + " (SELECT status || '/' || override FROM bookings WHERE code = '" + wardCode + "')")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
            assertEquals(1, rs.getInt(2));
            assertEquals("active/true", rs.getString(3), "the ward's booking is kept as an override");
        }
        var again = service.post("/api/v1/admin/holidays?dryRun=true", OP, holiday);
        assertEquals(0, again.json().getInteger("bookingsDisplaced"), "planned already: " + again.body());
    }

    @Test
    void theNationalListIsAddedDayByDayAndLaterDaysArePlannedWhenTheyCome() throws Exception {
        var list = new JsonObject().put("holidays", new io.vertx.core.json.JsonArray()
                .add(new JsonObject().put("date", "2027-02-22").put("nameJa", "振替休日"))
                .add(new JsonObject().put("date", "2030-01-01").put("nameJa", "元日").put("nameEn", "New Year's Day")));
        var dry = service.post("/api/v1/admin/holidays/list?dryRun=true", OP, list);
        assertEquals(200, dry.status(), dry.body());
        assertEquals(2, dry.json().getInteger("days"));
        assertEquals(false, dry.json().getBoolean("applied"));
        var done = service.post("/api/v1/admin/holidays/list", OP, list);
        assertEquals(200, done.status(), done.body());
        try (Connection c = TestDatabase.connect(service.database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM holidays WHERE day IN ('2027-02-22', '2030-01-01')),"
                     + " (SELECT count(*) FROM slots WHERE start_at >= '2030-01-01' AND start_at < '2030-01-02'),"
                     + " (SELECT coalesce(sum(capacity), 0) FROM slots WHERE site_id = 'kawasaki'"
                     + "   AND start_at >= '2027-02-22 00:00+09' AND start_at < '2027-02-23 00:00+09')")) {
            rs.next();
            assertEquals(2, rs.getInt(1));
            assertEquals(0, rs.getInt(2), "a day beyond the horizon gets no slots now: the calendar plans it when it comes");
            assertEquals(0, rs.getInt(3), "the ward is closed on the substitute holiday");
        }
        assertEquals(400, service.post("/api/v1/admin/holidays/list", OP, new JsonObject().put("holidays", new io.vertx.core.json.JsonArray()))
                .status());
    }
}
