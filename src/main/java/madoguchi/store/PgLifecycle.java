package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.cards.LifecycleStore;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Issued and no-show bookings. Neither touches {@code slots.booked}: the seat of a slot that
 * happened stays counted; only a cancel gives a seat back.
 */
public final class PgLifecycle implements LifecycleStore {
    private static final String LOCK = "SELECT b.id, b.card_id, b.site_id, b.code, b.status, c.state AS card_state,"
            + " EXISTS (SELECT 1 FROM bookings o WHERE o.card_id = b.card_id AND o.status = 'active' AND o.id <> b.id) AS rebooked"
            + " FROM bookings b JOIN cards c ON c.id = b.card_id WHERE b.code = $1 FOR UPDATE OF b, c";
    private static final String ISSUE_BOOKING = "UPDATE bookings SET status = 'issued', ended_at = $2, end_reason = 'issued'"
            + " WHERE id = $1";
    private static final String ISSUE_CARD = "UPDATE cards SET state = 'issued', cancel_reason = NULL, updated_at = $2 WHERE id = $1";
    private static final String CARD_EVENT = "INSERT INTO card_events (card_id, at, from_state, to_state, source)"
            + " VALUES ($1, $2, $3, 'issued', $4)";
    private static final String BOOKING_EVENT = "INSERT INTO booking_events (booking_id, at, kind, actor) VALUES ($1, $2, $3, $4)";
    private static final String NO_SHOWS = "WITH gone AS ("
            + "  UPDATE bookings b SET status = 'no_show', ended_at = $1, end_reason = 'no_show'"
            + "  FROM slots s WHERE s.id = b.slot_id AND b.status = 'active' AND s.end_at <= $1"
            // a resident who arrived is at the counter, not absent, even when the slot is over
            + "   AND NOT EXISTS (SELECT 1 FROM counter_visits v WHERE v.booking_id = b.id)"
            + "  RETURNING b.id, b.card_id, b.site_id, b.code),"
            + " logged AS (INSERT INTO booking_events (booking_id, at, kind, actor) SELECT id, $1, 'no_show', 'sweep' FROM gone)"
            + " SELECT id, card_id, site_id, code FROM gone";

    private final Pool pool;

    public PgLifecycle(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<IssueResult> markIssued(String code, String actor, Instant now) {
        return markIssued(code, actor, now, null);
    }

    @Override
    public Future<IssueResult> markIssued(String code, String actor, Instant now,
                                          java.util.function.Function<Issued, madoguchi.app.AuditEntry> audit) {
        OffsetDateTime at = Rows.time(now);
        return pool.withTransaction(conn -> issueIn(conn, code, actor, at).compose(result ->
                audit == null || !(result instanceof Issued issued) ? Future.succeededFuture(result)
                        : PgAudit.insert(conn, audit.apply(issued)).map(result)));
    }

    /** Marks the booking with this code and its card issued, within the caller's transaction. */
    static Future<IssueResult> issueIn(SqlConnection conn, String code, String actor, OffsetDateTime at) {
        return conn.preparedQuery(LOCK).execute(Tuple.of(code)).compose(rows -> {
            if (rows.size() == 0) {
                return Future.succeededFuture(new NotFound());
            }
            Row r = rows.iterator().next();
            Ended booking = new Ended(r.getLong("id"), r.getLong("card_id"), r.getString("site_id"), r.getString("code"), "issued");
            String status = r.getString("status");
            String cardState = r.getString("card_state");
            if (status.equals("issued")) {
                return Future.succeededFuture(new AlreadyIssued(booking));
            }
            if (!status.equals("active") && !status.equals("no_show")) {
                return Future.succeededFuture(new NotActive(status));
            }
            if (status.equals("no_show") && r.getBoolean("rebooked")) {
                return Future.succeededFuture(new NotActive("no_show_rebooked")); // the new booking is the one to issue
            }
            // a status file may have recorded the card issued already; the booking then only follows it
            if (!cardState.equals("ready") && !cardState.equals("issued")) {
                return Future.succeededFuture(new CardNotReady(cardState));
            }
            return issue(conn, booking, status, cardState.equals("ready"), actor, at).map(v -> (IssueResult) new Issued(booking, status));
        });
    }

    private static Future<Void> issue(SqlConnection conn, Ended b, String was, boolean card, String actor, OffsetDateTime at) {
        Future<?> booking = conn.preparedQuery(ISSUE_BOOKING).execute(Tuple.of(b.bookingId(), at));
        return (card ? booking.compose(x -> conn.preparedQuery(ISSUE_CARD).execute(Tuple.of(b.cardId(), at)))
                        .compose(x -> conn.preparedQuery(CARD_EVENT).execute(Tuple.of(b.cardId(), at, "ready", "counter:" + actor)))
                        : booking)
                .compose(x -> conn.preparedQuery(BOOKING_EVENT).execute(Tuple.of(b.bookingId(), at,
                        was.equals("no_show") ? "issued_after_no_show" : "issued", actor)))
                .mapEmpty();
    }

    @Override
    public Future<List<Ended>> markNoShows(Instant now) {
        return pool.preparedQuery(NO_SHOWS).execute(Tuple.of(Rows.time(now))).map(rows -> PgSeatSource.list(rows,
                r -> new Ended(r.getLong("id"), r.getLong("card_id"), r.getString("site_id"), r.getString("code"), "no_show")));
    }
}
