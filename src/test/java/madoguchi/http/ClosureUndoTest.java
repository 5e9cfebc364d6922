package madoguchi.http;

import io.vertx.core.json.JsonObject;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A closure can be undone: the day gets back the seats its opening rules give, and capacity
 * changes for it work again (before, a closed day swallowed them: slotsChanged 0, and unblocking
 * left capacity 0). The dry run says the same and changes nothing; the undo is audited.
 */
class ClosureUndoTest {
    private static final String OP = TestService.ADMIN_TOKEN;
    private static final LocalDate DAY = LocalDate.now().plusDays(6);
    private static TestService service;
    private static long slot;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start();
        slot = service.siteWithOneSlot("reopen", DAY, 2, 2);
        service.importCards("reopen", 5_700_000_001L, 2);
        assertEquals(201, service.post("/api/v1/bookings", service.verify(5_700_000_001L), new JsonObject().put("slotId", slot)).status());
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static String seats() throws Exception {
        try (Connection c = TestDatabase.connect(service.database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT capacity, blocked, booked, override_booked FROM slots WHERE id = " + slot)) {
            rs.next();
            return "capacity " + rs.getInt(1) + ", blocked " + rs.getBoolean(2) + ", booked " + rs.getInt(3) + ", override " + rs.getInt(4);
        }
    }

    private static TestService.Response capacity(int counters) {
        return service.put("/api/v1/admin/sites/reopen/capacity", OP, new JsonObject().put("from", DAY.toString()).put("to", DAY.toString())
                .put("startTime", "10:00").put("endTime", "10:15").put("counters", counters).put("perCounter", 2));
    }

    @Test
    void aClosedDayIsReopenedWithTheSeatsItsRulesGive() throws Exception {
        var closed = service.post("/api/v1/admin/closures", OP, new JsonObject().put("siteId", "reopen").put("date", DAY.toString())
                .put("reason", "停電").put("displaced", "keep"));
        assertEquals(200, closed.status(), closed.body());
        assertEquals("capacity 0, blocked true, booked 0, override 1", seats(), "the booking is kept as an override");
        assertEquals(0, capacity(3).json().getInteger("slotsChanged"), "a closed day takes no capacity change");

        String undo = "/api/v1/admin/closures?siteId=reopen&date=" + DAY;
        var dry = service.delete(undo + "&dryRun=true", OP);
        assertEquals(200, dry.status(), dry.body());
        assertEquals(1, dry.json().getInteger("slotsRestored"));
        assertEquals(false, dry.json().getBoolean("applied"));
        assertEquals("capacity 0, blocked true, booked 0, override 1", seats(), "the dry run changed nothing");

        var done = service.delete(undo + "&reason=" + java.net.URLEncoder.encode("停電が復旧", java.nio.charset.StandardCharsets.UTF_8), OP);
        assertEquals(200, done.status(), done.body());
        assertEquals(1, done.json().getInteger("slotsRestored"));
        // the rules as they are now: the 3 counters asked for while the day was closed were kept as a rule
        assertEquals("capacity 6, blocked false, booked 0, override 1", seats(), "the rules' 3 counters x 2");
        var offered = service.get("/api/v1/sites/reopen/availability?channel=operator&from=" + DAY + "&to=" + DAY, null).array();
        assertEquals(1, offered.size(), "the slot is offered again");

        assertEquals(1, capacity(4).json().getInteger("slotsChanged"), "and capacity changes work on it again");
        assertEquals("capacity 8, blocked false, booked 0, override 1", seats());
        assertEquals(404, service.delete(undo, OP).status(), "not closed any more");
        assertEquals(400, service.delete("/api/v1/admin/closures?date=" + DAY, OP).status());
        try (Connection c = TestDatabase.connect(service.database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM audit_log WHERE action = 'closure.undo' AND reason = '停電が復旧'")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
    }
}
