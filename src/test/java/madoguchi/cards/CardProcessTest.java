package madoguchi.cards;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.domain.CardState;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A card walks the process ①–⑩ as the city's report draws it, one status file at a time: every
 * step is a state with its day and source, the history shows them all to operators, only a ready
 * card can be booked, and the monthly report counts any step (here, the notices mailed).
 */
class CardProcessTest {
    private static final String OP = TestService.ADMIN_TOKEN;
    private static final long CARD = 5_800_000_001L;
    private static TestService service;
    private static long slot;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start();
        slot = service.siteWithOneSlot("process", LocalDate.now().plusDays(5), 1, 1);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static void move(long card, String state, String reason, String changedOn) {
        var r = service.post("/api/v1/admin/cards/import", OP, "noticeNumber,birthDate,siteId,state,cancelReason,appliedOn,changedOn\n"
                + card + ",1980-01-01,process," + state + "," + (reason == null ? "" : reason) + ",2021-01-05," + changedOn + "\n");
        assertEquals(200, r.status(), r.body());
        assertEquals(0, r.json().getJsonArray("rejected").size(), r.body());
    }

    @Test
    void aCardWalksEveryStepAndItsHistoryShowsThem() {
        String[][] steps = {{"applied", "2021-01-05"}, {"incomplete", "2021-01-10"}, {"in_production", "2021-01-20"},
                {"delivered", "2021-02-01"}, {"inspected", "2021-02-03"}, {"at_site", "2021-02-05"}, {"notice_mailed", "2021-02-10"}};
        for (String[] s : steps) {
            move(CARD, s[0], null, s[1]);
        }
        var early = service.post("/api/v1/operator/bookings", OP, new JsonObject().put("noticeNumber", Long.toString(CARD)).put("slotId", slot));
        assertEquals(409, early.status(), "a card whose notice is mailed but not yet set up cannot be booked: " + early.body());
        assertEquals("card_not_ready", early.json().getString("error"));
        move(CARD, "ready", null, "2021-02-12");
        move(CARD, "issued", null, "2021-03-01");
        move(CARD + 1, "applied", null, "2021-01-06");
        move(CARD + 1, "cancelled", "moved_out", "2021-02-20");

        var h = service.get("/api/v1/operator/cards/" + CARD + "/history", OP);
        assertEquals(200, h.status(), h.body());
        assertEquals("issued", h.json().getString("state"));
        assertEquals(9, h.json().getInteger("step"));
        assertEquals("交付済", h.json().getString("stepName"));
        JsonArray history = h.json().getJsonArray("history");
        assertEquals(9, history.size(), h.body());
        for (int i = 0; i < 9; i++) {
            JsonObject move = history.getJsonObject(i);
            assertEquals(i + 1, move.getInteger("step"), move.encode());
            assertEquals(CardState.values()[i].wire(), move.getString("to"));
            assertEquals(i == 0 ? null : CardState.values()[i - 1].wire(), move.getString("from"));
            assertEquals("import:bootstrap", move.getString("source"), "who imported the file");
        }
        assertEquals("2021-02-10T00:00:00+09:00", history.getJsonObject(6).getString("at"), "the day the file says");

        JsonObject cancelled = service.get("/api/v1/operator/cards/" + (CARD + 1) + "/history", OP).json();
        assertEquals(10, cancelled.getInteger("step"));
        assertEquals("moved_out", cancelled.getJsonArray("history").getJsonObject(1).getString("reason"));
        assertEquals(404, service.get("/api/v1/operator/cards/5899999999/history", OP).status());

        var mailed = service.get("/api/v1/admin/reports/steps?state=notice_mailed&from=2021-01&to=2021-03", OP);
        assertEquals(200, mailed.status(), mailed.body());
        assertEquals(new JsonArray().add(new JsonObject().put("month", "2021-02").put("cards", 1)), mailed.json().getJsonArray("city"));
        assertEquals(7, mailed.json().getInteger("step"));
        assertEquals(400, service.get("/api/v1/admin/reports/steps?state=lost", OP).status());
        var bad = service.post("/api/v1/admin/cards/import", OP, "noticeNumber,birthDate,siteId,state\n" + (CARD + 2) + ",1980-01-01,process,lost\n");
        assertEquals(true, bad.json().getJsonArray("rejected").getJsonObject(0).getString("error").contains("notice_mailed"), bad.body());
    }
}
