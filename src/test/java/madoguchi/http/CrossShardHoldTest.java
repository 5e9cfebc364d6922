package madoguchi.http;

import io.vertx.core.json.JsonObject;
import madoguchi.app.booking.Allocator;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The second attack: a card kept at {@code center} confirms (and releases) a hold taken
 * at {@code kawasaki}, a site of another shard. The request goes to the card's shard, which must
 * refuse it (4xx) without ever loading that hold: before, it was loaded there, and its expiry
 * crashed that shard's sweep and left the queue depth one higher for good.
 */
class CrossShardHoldTest {
    private static final long FIRST = 7_400_000_000L;

    @Test
    void aHoldOfAnotherShardsSiteIsRefusedThereAndEverySweepGoesOn() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        // two shards: "kawasaki" is on shard 0, "center" on shard 1 (their ids' hashes)
        try (TestService service = TestService.start(TestDatabase.fresh(), Map.of("MADOGUCHI_SHARDS", "2"), clock)) {
            LocalDate day = LocalDate.now().plusDays(3);
            long kawasakiSlot = service.siteWithOneSlot("kawasaki", day, 2, 1);
            long centerSlot = service.siteWithOneSlot("center", day, 2, 1);
            service.importCards("kawasaki", FIRST, 1);
            service.importCards("center", FIRST + 10, 2);
            String atKawasaki = service.verify(FIRST);
            String atCenter = service.verify(FIRST + 10);
            String alsoAtCenter = service.verify(FIRST + 11);
            Allocator allocator = service.app.services().allocator();

            TestService.Response held = service.post("/api/v1/holds", atKawasaki, new JsonObject().put("slotId", kawasakiSlot));
            assertEquals(201, held.status(), held.toString());
            String holdId = held.json().getString("holdId");
            // a hold at center, due in the same sweep: it must be released whatever the other does
            TestService.Response centerHold = service.post("/api/v1/holds", alsoAtCenter, new JsonObject().put("slotId", centerSlot));
            assertEquals(201, centerHold.status(), centerHold.toString());

            TestService.Response confirm = service.post("/api/v1/holds/" + holdId + "/confirm", atCenter, new JsonObject());
            assertTrue(confirm.status() >= 400 && confirm.status() < 500, confirm.toString());
            TestService.Response release = service.delete("/api/v1/holds/" + holdId, atCenter);
            assertTrue(release.status() >= 400 && release.status() < 500, release.toString());

            // the holds' time is up: both shards' sweeps end theirs, and nothing is left queued
            clock.advance(Duration.ofHours(1));
            assertEquals(2, allocator.expireDueHolds().await(20, TimeUnit.SECONDS));
            assertEquals(0, allocator.queued());
            assertEquals(0, allocator.slot(kawasakiSlot).held());
            assertEquals(0, allocator.slot(centerSlot).held());
            assertEquals(0, heldInDatabase(service, kawasakiSlot) + heldInDatabase(service, centerSlot));
            // and a later sweep finds nothing more to do (the foreign hold was never kept at center)
            clock.advance(Duration.ofHours(1));
            assertEquals(0, allocator.expireDueHolds().await(20, TimeUnit.SECONDS));

            String metrics = service.metrics();
            assertEquals(0.0, metric(metrics, "madoguchi_allocator_queue_depth"), "queue depth back to 0");
            assertEquals(0.0, metric(metrics, "madoguchi_allocator_sweep_errors_total"));
            assertEquals(0.0, metric(metrics, "madoguchi_allocator_decision_errors_total"));

            // the center card's own hold and booking work as before (verified again: two hours passed)
            atCenter = service.verify(FIRST + 10);
            TestService.Response own = service.post("/api/v1/holds", atCenter, new JsonObject().put("slotId", centerSlot));
            assertEquals(201, own.status(), own.toString());
            TestService.Response booked = service.post("/api/v1/holds/" + own.json().getString("holdId") + "/confirm",
                    atCenter, new JsonObject());
            assertEquals(201, booked.status(), booked.toString());
        }
    }

    private static int heldInDatabase(TestService service, long slot) throws Exception {
        try (Connection c = TestDatabase.connect(service.database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT held FROM slots WHERE id = " + slot)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static double metric(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(text);
        assertTrue(m.find(), name + " is served");
        return Double.parseDouble(m.group(2));
    }
}
