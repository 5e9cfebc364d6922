package madoguchi.store;

import io.vertx.core.json.JsonObject;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A resident's join that loses its insert to a concurrent join of the same card, whose entry a
 * concurrent leave then ends before the join reads it (found by the fuzz test as a 500 "waitlist
 * entry vanished"). The interleaving is forced with locks, not hoped for: another transaction
 * holds an uncommitted entry, so the join's insert waits on it; a table lock queued behind both
 * holds the join's next read until that entry is cancelled.
 */
class WaitlistJoinRaceTest {
    private static final long NOTICE = 6_800_000_000L;

    @Test
    void aJoinWhoseConcurrentTwinWasLeftMeanwhileStillJoins() throws Exception {
        LocalDate day = LocalDate.now(madoguchi.domain.BookingWindow.TOKYO).plusDays(4);
        try (TestService service = TestService.start()) {
            service.siteWithOneSlot("race", day, 1, 1);
            service.importCards("race", NOTICE, 1);
            String token = service.verify(NOTICE);
            try (Connection twin = TestDatabase.connect(service.database); Connection leave = TestDatabase.connect(service.database);
                 Connection watch = TestDatabase.connect(service.database)) {
                twin.setAutoCommit(false);
                leave.setAutoCommit(false);
                try (Statement st = twin.createStatement()) {
                    st.executeUpdate("INSERT INTO waitlist (card_id, site_id, wanted_from, wanted_to, channel, state, created_at, created_by)"
                            + " SELECT id, site_id, DATE '" + day + "', DATE '" + day + "', 'web', 'waiting', now(), 'resident'"
                            + " FROM cards WHERE notice_number = '" + NOTICE + "'");
                }
                CompletableFuture<TestService.Response> join = CompletableFuture.supplyAsync(() -> service.post("/api/v1/waitlist", token,
                        new JsonObject().put("from", day.toString()).put("to", day.toString())));
                awaitWaiting(watch, 1); // the join's insert waits for the twin's entry
                CompletableFuture<Void> lock = CompletableFuture.runAsync(() -> {
                    try (Statement st = leave.createStatement()) {
                        st.execute("LOCK TABLE waitlist IN ACCESS EXCLUSIVE MODE");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                awaitWaiting(watch, 2); // the lock queues behind the join and the twin
                twin.commit(); // the join's insert conflicts and does nothing; the lock is taken
                lock.get(20, TimeUnit.SECONDS);
                awaitWaiting(watch, 1); // the join's next read waits for the lock
                try (Statement st = leave.createStatement()) {
                    st.executeUpdate("UPDATE waitlist SET state = 'cancelled', ended_at = now() WHERE state = 'waiting'");
                }
                leave.commit();
                TestService.Response joined = join.get(20, TimeUnit.SECONDS);
                assertEquals(201, joined.status(), joined.toString());
                assertEquals("waiting", joined.json().getString("state"));
                try (Statement st = watch.createStatement();
                     ResultSet rs = st.executeQuery("SELECT count(*) FROM waitlist WHERE state = 'waiting'")) {
                    rs.next();
                    assertEquals(1, rs.getInt(1), "the card is on the list once");
                }
                assertFalse(join.isCompletedExceptionally());
            }
        }
    }

    /** Waits until {@code count} statements on the waitlist wait for a lock. */
    private static void awaitWaiting(Connection watch, int count) throws Exception {
        for (int i = 0; i < 2_000; i++) {
            try (Statement st = watch.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                         + " AND wait_event_type = 'Lock' AND query ILIKE '%waitlist%' AND pid <> pg_backend_pid()")) {
                rs.next();
                if (rs.getInt(1) == count) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("never " + count + " statements waiting on the waitlist");
    }
}
