package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import madoguchi.Config;
import madoguchi.app.booking.JournalEntry;
import madoguchi.app.booking.JournalOutcome;
import madoguchi.domain.ActiveBooking;
import madoguchi.domain.BookingCode;
import madoguchi.domain.Channel;
import madoguchi.domain.Decision;
import madoguchi.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL arbitrates between an administrator's change written by its own transaction and the
 * allocator's batches, so these changes need not go through the seat journal: a batch decided on
 * a slot's old limits, reaching the row while a cut or a block holds it, waits for that
 * transaction and is then judged on the committed row — refused, nothing written. The
 * interleaving is pinned: the change's transaction is held open until the batch is seen waiting
 * for its row lock.
 */
class CapacityCutArbitrationTest {
    private Config.DatabaseUrl db;
    private Vertx vertx;
    private PgSeatJournal journal;

    @BeforeEach
    void slotWithOneOfTwoSeatsBooked() throws Exception {
        db = TestDatabase.fresh();
        new Database(db, null).migrate();
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement()) {
            st.execute("INSERT INTO sites (id, name_ja, name_en, kind) VALUES ('x', 'x', 'x', 'popup')");
            st.execute("INSERT INTO slots (id, site_id, start_at, end_at, capacity, quota_web, quota_phone, booked)"
                    + " VALUES (1, 'x', now() + interval '2 days', now() + interval '2 days 15 minutes', 2, 2, 2, 1)");
            st.execute("INSERT INTO cards (id, notice_number, birth_date, site_id, state) VALUES"
                    + " (1, '1000000001', '1980-01-01', 'x', 'ready'), (2, '1000000002', '1980-01-01', 'x', 'ready')");
            st.execute("INSERT INTO bookings (id, code, card_id, site_id, slot_id, channel, status) VALUES (1, 'C1', 1, 'x', 1, 'web', 'active')");
        }
        vertx = Vertx.vertx();
        Pool pool = new Database(db, null).pool(vertx, 2);
        journal = new PgSeatJournal(pool);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aBatchDecidedOnTheOldCapacityIsRefusedByTheCutCommittedMeanwhile() throws Exception {
        JournalOutcome outcome = writeWhileHeld("UPDATE slots SET capacity = 1, quota_web = 1, quota_phone = 1,"
                + " version = version + 1 WHERE id = 1");
        assertFalse(outcome.committed(), "the batch is refused");
        assertTrue(outcome.fullSlots().contains(1L), "as a slot with fewer seats than memory believed: " + outcome);
        assertEquals(1, outcome.snapshots().get(0).limits().capacity(), "with the row as the cut left it, to decide again on");
        assertEquals("1 1 1", row(), "capacity 1, 1 booked, 1 booking: nothing of the batch written");
    }

    @Test
    void aBatchDecidedOnAnOpenSlotIsRefusedByTheBlockCommittedMeanwhile() throws Exception {
        JournalOutcome outcome = writeWhileHeld("UPDATE slots SET blocked = true, block_reason = 'x', version = version + 1 WHERE id = 1");
        assertFalse(outcome.committed());
        assertTrue(outcome.fullSlots().contains(1L), outcome.toString());
        assertEquals("2 1 1", row());
    }

    /** Holds {@code change} open on slot 1, sends a batch booking card 2 there, commits the change once the batch waits for it. */
    private JournalOutcome writeWhileHeld(String change) throws Exception {
        try (Connection admin = TestDatabase.connect(db)) {
            admin.setAutoCommit(false);
            try (Statement st = admin.createStatement()) {
                st.execute("SELECT * FROM slots WHERE id = 1 FOR UPDATE");
                st.execute(change);
            }
            ActiveBooking wanted = new ActiveBooking(100, BookingCode.legacy().of(100), 2, 1, Channel.WEB, false, null, "t");
            Future<JournalOutcome> written = journal.write(List.of(new JournalEntry(new Decision.BookingMade(wanted), null, null)));
            awaitOneWaitingForALock(written);
            assertFalse(written.isComplete(), "the batch waits for the change's row lock");
            admin.commit();
            return written.await(10, TimeUnit.SECONDS);
        }
    }

    /** Until a session of this database waits for a lock (the batch at the slot's row): a condition, not a time. */
    private void awaitOneWaitingForALock(Future<JournalOutcome> written) throws Exception {
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
                    rs.next();
                    if (rs.getInt(1) == 1) {
                        return;
                    }
                }
                if (written.isComplete()) {
                    throw new AssertionError("the batch ended without waiting for the change: "
                            + (written.succeeded() ? written.result() : written.cause()), written.cause());
                }
                Thread.onSpinWait();
            }
            throw new AssertionError("the batch never reached the slot's row");
        }
    }

    private String row() throws Exception {
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT s.capacity, s.booked, (SELECT count(*) FROM bookings) FROM slots s WHERE s.id = 1")) {
            rs.next();
            return rs.getInt(1) + " " + rs.getInt(2) + " " + rs.getInt(3);
        }
    }
}
