package madoguchi.http;

import io.vertx.core.json.JsonArray;
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
 * An administrator opens the demo's Daishi branch on the 1st and 3rd Saturday mornings with an
 * opening rule, shortens those hours (a booking in the hour taken away is named by the dry run and
 * kept as an override; a Saturday tuned by hand stays as tuned), then removes the rule. Each step
 * is audited; the dry runs write nothing.
 */
class OpeningRulesTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final String ADMIN = TestService.ADMIN_TOKEN;
    private static final String RULES = "/api/v1/admin/sites/daishi/rules";
    private static final LocalDate FIRST_SATURDAY = LocalDate.of(2027, 2, 6);
    private static final LocalDate SECOND_SATURDAY = LocalDate.of(2027, 2, 13);
    private static final LocalDate THIRD_SATURDAY = LocalDate.of(2027, 2, 20);
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        // Monday 1 February 2027: the branch's 56 days ahead are planned, weekdays only
        service = TestService.start(TestDatabase.fresh(), Map.of("MADOGUCHI_DEMO", "true"),
                new MutableClock(LocalDate.of(2027, 2, 1).atTime(9, 0).atZone(TOKYO).toInstant()));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static JsonObject saturdayMornings(String opens) {
        return new JsonObject().put("weekdays", new JsonArray().add("sat")).put("nthOfMonth", new JsonArray().add(1).add(3))
                .put("opens", opens).put("closes", "12:00").put("counters", 2).put("perCounter", 1).put("label", "saturday")
                .put("reason", "土曜開庁（第1・第3）");
    }

    private static int seats(LocalDate day, String from, String to) throws Exception {
        return number("SELECT coalesce(sum(capacity), -1) FROM slots WHERE site_id = 'daishi' AND start_at >= '" + day + " " + from
                + "+09' AND start_at < '" + day + " " + to + "+09'");
    }

    private static int number(String sql) throws Exception {
        try (Connection c = TestDatabase.connect(service.database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String text(String sql) throws Exception {
        try (Connection c = TestDatabase.connect(service.database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aSaturdayRuleIsAddedShortenedAndRemovedWithDryRunsAndAudit() throws Exception {
        var listed = service.get(RULES, ADMIN);
        assertEquals(200, listed.status(), listed.body());
        assertEquals(1, listed.json().getJsonArray("rules").size(), "the branch opens on weekdays only: " + listed.body());
        int rulesBefore = number("SELECT count(*) FROM opening_rules WHERE site_id = 'daishi'");

        // the dry run names what would open and writes nothing
        var dry = service.post(RULES + "?dryRun=true", ADMIN, saturdayMornings("09:00"));
        assertEquals(200, dry.status(), dry.body());
        assertEquals(true, dry.json().getBoolean("dryRun"));
        assertTrue(dry.json().getInteger("slotsAdded") > 0, dry.body());
        assertEquals(-1, seats(FIRST_SATURDAY, "00:00", "23:59"), "the dry run opened nothing");
        assertEquals(rulesBefore, number("SELECT count(*) FROM opening_rules WHERE site_id = 'daishi'"));

        var added = service.post(RULES, ADMIN, saturdayMornings("09:00"));
        assertEquals(201, added.status(), added.body());
        long ruleId = added.json().getJsonObject("rule").getLong("id");
        assertEquals(dry.json().getInteger("slotsAdded"), added.json().getInteger("slotsAdded"), "the dry run said what was done");
        assertEquals(12 * 2, seats(FIRST_SATURDAY, "09:00", "12:00"), "twelve 15-minute slots of two seats");
        assertEquals(12 * 2, seats(THIRD_SATURDAY, "09:00", "12:00"));
        assertEquals(-1, seats(SECOND_SATURDAY, "00:00", "23:59"), "only the 1st and 3rd Saturdays");
        assertEquals(1, number("SELECT count(*) FROM audit_log WHERE action = 'rule.add' AND target = 'site:daishi'"));

        // a resident books the first Saturday at 9:00; the third Saturday's 9:00 and 9:15 are tuned by hand to 5 seats
        String code = bookDaishi(FIRST_SATURDAY + "T09:00");
        var tuned = service.put("/api/v1/admin/sites/daishi/capacity", ADMIN, new JsonObject().put("from", THIRD_SATURDAY.toString())
                .put("to", THIRD_SATURDAY.toString()).put("weekdays", new JsonArray().add(6)).put("startTime", "09:00")
                .put("endTime", "09:30").put("counters", 5).put("perCounter", 1));
        assertEquals(200, tuned.status(), tuned.body());

        // the mornings start at 10:00 from now on: the 9:00 booking is named, the tuned slot stays
        JsonObject later = saturdayMornings("10:00").put("displaced", "keep");
        var dryChange = service.put(RULES + "/" + ruleId + "?dryRun=true", ADMIN, later);
        assertEquals(200, dryChange.status(), dryChange.body());
        JsonArray displaced = dryChange.json().getJsonArray("displaced");
        assertEquals(1, displaced.size(), dryChange.body());
        assertEquals(code, displaced.getJsonObject(0).getString("code"));
        assertEquals(2, dryChange.json().getInteger("slotsKeptAsTuned"), dryChange.body());
        assertEquals(2 * 2, seats(FIRST_SATURDAY, "09:00", "09:30"), "the dry run changed nothing");
        assertEquals("09:00:00", text("SELECT opens::text FROM opening_rules WHERE id = " + ruleId));

        var changed = service.put(RULES + "/" + ruleId, ADMIN, later);
        assertEquals(200, changed.status(), changed.body());
        assertEquals(0, seats(FIRST_SATURDAY, "09:00", "10:00"));
        assertEquals(8 * 2, seats(FIRST_SATURDAY, "10:00", "12:00"));
        assertEquals(5 + 5, seats(THIRD_SATURDAY, "09:00", "10:00"), "9:00 and 9:15, tuned by hand, keep their 5 seats; 9:30 and 9:45 close");
        assertEquals("active/true", text("SELECT status || '/' || override FROM bookings WHERE code = '" + code + "'"),
                "the booking is kept as an override");
        assertEquals("10:00:00", text("SELECT opens::text FROM opening_rules WHERE id = " + ruleId));
        JsonObject audit = new JsonObject(text("SELECT jsonb_build_object('before', before, 'after', after)::text FROM audit_log"
                + " WHERE action = 'rule.change'"));
        assertEquals("09:00", audit.getJsonObject("before").getString("opens"));
        assertEquals("10:00", audit.getJsonObject("after").getString("opens"));

        // removed: the Saturdays close again, except the slot tuned by hand
        var dryRemove = service.delete(RULES + "/" + ruleId + "?dryRun=true", ADMIN);
        assertEquals(200, dryRemove.status(), dryRemove.body());
        assertEquals(true, dryRemove.json().getBoolean("removed"));
        assertEquals(1, number("SELECT count(*) FROM opening_rules WHERE id = " + ruleId));
        var removed = service.delete(RULES + "/" + ruleId + "?reason=" + java.net.URLEncoder.encode("土曜開庁の終了",
                java.nio.charset.StandardCharsets.UTF_8), ADMIN);
        assertEquals(200, removed.status(), removed.body());
        assertEquals(0, seats(FIRST_SATURDAY, "00:00", "23:59"));
        assertEquals(5 + 5, seats(THIRD_SATURDAY, "00:00", "23:59"), "except the slots tuned by hand");
        assertEquals(0, number("SELECT count(*) FROM opening_rules WHERE id = " + ruleId));
        assertEquals(1, number("SELECT count(*) FROM audit_log WHERE action = 'rule.remove' AND reason = '土曜開庁の終了'"));
        assertEquals(404, service.delete(RULES + "/" + ruleId, ADMIN).status(), "removed already");
    }

    @Test
    void aRuleThatCannotBeReadIsRefusedBeforeAnythingIsWritten() throws Exception {
        int audits = number("SELECT count(*) FROM audit_log");
        for (JsonObject bad : new JsonObject[] {
                saturdayMornings("09:00").put("nthOfMonth", new JsonArray().add(6)),
                saturdayMornings("13:00"),
                saturdayMornings("09:00").put("holidays", "sometimes"),
                saturdayMornings("09:00").put("quota", new JsonObject().put("phone", 3)),
                saturdayMornings("09:00").put("validFrom", "2027-03-01").put("validTo", "2027-02-01"),
                new JsonObject().put("opens", "09:00").put("closes", "12:00").put("counters", 1).put("perCounter", 1)}) {
            var r = service.post(RULES, ADMIN, bad);
            assertEquals(400, r.status(), bad + " -> " + r.body());
            assertTrue(r.json().getString("error") != null, r.body());
        }
        assertEquals(404, service.post("/api/v1/admin/sites/nowhere/rules", ADMIN, saturdayMornings("09:00")).status());
        assertEquals(404, service.put(RULES + "/999999", ADMIN, saturdayMornings("09:00")).status());
        assertEquals(audits, number("SELECT count(*) FROM audit_log"));
    }

    @Test
    void aRuleSavedWhoseDaysCouldNotBePlannedSaysSoAndIsFinishedBySendingItAgain() throws Exception {
        // the database refuses the Sunday slots the new rule needs, after the rule itself was written
        try (Connection c = TestDatabase.connect(service.database); Statement st = c.createStatement()) {
            st.execute("CREATE FUNCTION refuse_sundays() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " RAISE EXCEPTION 'no Sunday slots today'; END $$");
            st.execute("CREATE TRIGGER refuse_sundays BEFORE INSERT ON slots FOR EACH ROW WHEN (NEW.site_id = 'daishi'"
                    + " AND extract(isodow FROM NEW.start_at AT TIME ZONE 'Asia/Tokyo') = 7) EXECUTE FUNCTION refuse_sundays()");
        }
        JsonObject sundays = new JsonObject().put("weekdays", new JsonArray().add(7)).put("opens", "10:00").put("closes", "11:00")
                .put("counters", 3).put("perCounter", 1).put("label", "sunday");
        var failed = service.post(RULES, ADMIN, sundays);
        assertEquals(503, failed.status(), failed.body());
        assertEquals("days_not_planned", failed.json().getString("error"));
        String id = text("SELECT id FROM opening_rules WHERE site_id = 'daishi' AND label = 'sunday'");
        assertEquals(1, number("SELECT count(*) FROM audit_log WHERE action = 'rule.add' AND after->>'label' = 'sunday'"),
                "the rule and its audit row were written");
        LocalDate sunday = LocalDate.of(2027, 2, 7);
        assertEquals(-1, seats(sunday, "00:00", "23:59"));

        try (Connection c = TestDatabase.connect(service.database); Statement st = c.createStatement()) {
            st.execute("DROP TRIGGER refuse_sundays ON slots");
        }
        var again = service.put(RULES + "/" + id, ADMIN, sundays);
        assertEquals(200, again.status(), again.body());
        assertTrue(again.json().getInteger("slotsAdded") >= 4 * 6, again.body());
        assertEquals(4 * 3, seats(sunday, "10:00", "11:00"));
        var once = service.put(RULES + "/" + id, ADMIN, sundays);
        assertEquals(0, once.json().getInteger("slotsAdded") + once.json().getInteger("slotsChanged"), "planned already: " + once.body());
    }

    /** Books a slot at Daishi for one of its demo cards, as a resident on the web. */
    private static String bookDaishi(String startPrefix) throws Exception {
        long notice = Long.parseLong(text("SELECT notice_number FROM cards WHERE site_id = 'daishi' AND state = 'ready'"
                + " ORDER BY notice_number LIMIT 1"));
        String token = service.post("/api/v1/residents/verify", null, new JsonObject().put("noticeNumber", Long.toString(notice))
                .put("birthDate", DemoData.birthDate((int) (notice - DemoData.FIRST_NOTICE)).toString())).json().getString("token");
        long slot = service.get("/api/v1/sites/daishi/availability?channel=web&from=" + FIRST_SATURDAY + "&to=" + FIRST_SATURDAY, null)
                .array().stream().map(o -> (JsonObject) o).filter(s -> s.getString("start").startsWith(startPrefix))
                .findFirst().orElseThrow().getLong("slotId");
        var r = service.post("/api/v1/bookings", token, new JsonObject().put("slotId", slot));
        assertEquals(201, r.status(), r.body());
        return r.json().getString("code");
    }
}
