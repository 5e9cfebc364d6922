package madoguchi.cards;

import io.vertx.core.json.JsonObject;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A status file never erases what it does not carry: the national system's files have no phone
 * numbers, so a routine import without the column (or with empty cells) keeps every stored
 * number; a number sets it and {@code -} clears it, and the answer says how many of each. A dry
 * run says what a file would change and writes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CardImportKeepsDataTest {
    private static final String OP = TestService.ADMIN_TOKEN;
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start();
        service.siteWithOneSlot("keep", java.time.LocalDate.now().plusDays(5), 1, 1);
        service.siteWithOneSlot("keep2", java.time.LocalDate.now().plusDays(5), 1, 1);
        var first = importFile("noticeNumber,birthDate,phone,siteId,state\n"
                + "5500000001,1980-01-01,+819011110001,keep,ready\n"
                + "5500000002,1980-01-02,+819011110002,keep,ready\n"
                + "5500000003,1980-01-03,+819011110003,keep,applied\n", false);
        assertEquals(3, first.getInteger("imported"), first.encode());
        assertEquals(3, first.getJsonObject("phones").getInteger("set"));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static JsonObject importFile(String csv, boolean dryRun) {
        var r = service.post("/api/v1/admin/cards/import" + (dryRun ? "?dryRun=true" : ""), OP, csv);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private static Map<String, String> phones() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = TestDatabase.connect(service.database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT notice_number, phone, state FROM cards ORDER BY notice_number")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2) + "/" + rs.getString(3));
            }
        }
        return out;
    }

    private static long count(String table) throws Exception {
        try (Connection c = TestDatabase.connect(service.database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @Order(1)
    void aFileWithoutThePhoneColumnKeepsEveryPhone() throws Exception {
        var r = importFile("noticeNumber,birthDate,siteId,state\n"
                + "5500000001,1980-01-01,keep,ready\n"
                + "5500000002,1980-01-02,keep,ready\n"
                + "5500000003,1980-01-03,keep,ready\n", false);
        assertEquals(1, r.getInteger("updated"), "only the applied card became ready: " + r.encode());
        assertEquals(2, r.getInteger("unchanged"));
        assertEquals(new JsonObject().put("kept", 3).put("set", 0).put("cleared", 0), r.getJsonObject("phones"));
        assertEquals(new JsonObject().put("ready", 1), r.getJsonObject("byState"));
        assertEquals(Map.of("5500000001", "+819011110001/ready", "5500000002", "+819011110002/ready",
                "5500000003", "+819011110003/ready"), phones());
    }

    @Test
    @Order(2)
    void anEmptyCellKeepsANumberSetsAndADashClears() throws Exception {
        var r = importFile("noticeNumber,birthDate,phone,siteId,state\n"
                + "5500000001,1980-01-01,,keep,ready\n"
                + "5500000002,1980-01-02,-,keep,ready\n"
                + "5500000003,1980-01-03,+819099990003,keep,ready\n"
                + "5500000004,1980-01-04,,keep,ready\n", false);
        assertEquals(new JsonObject().put("kept", 1).put("set", 1).put("cleared", 1), r.getJsonObject("phones"), r.encode());
        assertEquals(1, r.getInteger("imported"));
        assertEquals(2, r.getInteger("updated"));
        Map<String, String> now = phones();
        assertEquals("+819011110001/ready", now.get("5500000001"));
        assertEquals("null/ready", now.get("5500000002"));
        assertEquals("+819099990003/ready", now.get("5500000003"));
        assertEquals("null/ready", now.get("5500000004"), "a new card with an empty cell has no number");
        var bad = service.post("/api/v1/admin/cards/import", OP, "noticeNumber,birthDate,phone,siteId,state\n5500000001,1980-01-01,--,keep,ready\n");
        assertEquals(1, bad.json().getJsonArray("rejected").size(), bad.body());
    }

    @Test
    @Order(3)
    void aDryRunSaysWhatWouldChangeAndWritesNothing() throws Exception {
        Map<String, String> before = phones();
        long events = count("card_events");
        long audit = count("audit_log");
        var r = importFile("noticeNumber,birthDate,phone,siteId,state,cancelReason\n"
                + "5500000001,1980-01-01,-,keep,cancelled,moved_out\n"
                + "5500000003,1980-01-03,,keep2,ready,\n"
                + "5500000005,1980-01-05,+819011110005,keep2,ready,\n"
                + "5500000006,1980-01-06,,keep,issued,\n", true);
        assertEquals(true, r.getBoolean("dryRun"));
        assertEquals(2, r.getInteger("imported"), r.encode());
        assertEquals(2, r.getInteger("updated"));
        assertEquals(new JsonObject().put("kept", 1).put("set", 1).put("cleared", 1), r.getJsonObject("phones"));
        assertEquals(new JsonObject().put("cancelled", 1).put("issued", 1).put("ready", 2), r.getJsonObject("byState"));
        assertEquals(new JsonObject().put("keep", 2).put("keep2", 2), r.getJsonObject("bySite"));
        assertEquals(before, phones(), "a dry run writes no card");
        assertEquals(events, count("card_events"), "nor a card's history");
        assertEquals(audit, count("audit_log"), "nor an audit row: nothing was changed");
        assertNull(r.getValue("bookingsEnded"));
        assertEquals(400, service.post("/api/v1/admin/cards/import?dryRun=maybe", OP, "noticeNumber,birthDate,siteId,state\n").status());
        var noState = service.post("/api/v1/admin/cards/import", OP, "noticeNumber,birthDate,siteId\n5500000001,1980-01-01,keep\n");
        assertEquals(400, noState.status(), "state is still required: " + noState.body());
        assertEquals("invalid_csv", noState.json().getString("error"));
    }
}
