package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.booking.BookingStore;
import madoguchi.app.booking.BookingView;
import madoguchi.app.booking.Idempotency;
import madoguchi.app.booking.Replay;

import java.util.List;
import java.util.Optional;

public final class PgBookingStore implements BookingStore {
    private static final String VIEW = "SELECT b.id, b.code, b.card_id, b.site_id, b.slot_id, s.start_at, s.end_at, b.status,"
            + " b.channel, b.override, b.override_reason, b.booked_by, b.created_at"
            + " FROM bookings b JOIN slots s ON s.id = b.slot_id";

    private final Pool pool;

    public PgBookingStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<Optional<BookingView>> byCode(String code) {
        return pool.preparedQuery(VIEW + " WHERE b.code = $1").execute(Tuple.of(code))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(view(rows.iterator().next())));
    }

    @Override
    public Future<List<BookingView>> ofCard(long cardId) {
        return pool.preparedQuery(VIEW + " WHERE b.card_id = $1 ORDER BY b.created_at DESC LIMIT 50").execute(Tuple.of(cardId))
                .map(rows -> PgSeatSource.list(rows, PgBookingStore::view));
    }

    @Override
    public Future<Optional<Replay>> replayOf(Idempotency key) {
        return pool.preparedQuery("SELECT " + Rows.KEPT_COLUMNS + " FROM idempotency_keys WHERE scope = $1 AND key = $2")
                .execute(Tuple.of(key.scope(), key.key())).map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row r = rows.iterator().next();
                    return Optional.of(key.replayOf(r.getString("request_hash"), Rows.kept(r)));
                });
    }

    static BookingView view(Row r) {
        return new BookingView(r.getLong("id"), r.getString("code"), r.getLong("card_id"), r.getString("site_id"),
                r.getLong("slot_id"), Rows.instant(r.getOffsetDateTime("start_at")), Rows.instant(r.getOffsetDateTime("end_at")),
                r.getString("status"), r.getString("channel"), r.getBoolean("override"), r.getString("override_reason"),
                r.getString("booked_by"), Rows.instant(r.getOffsetDateTime("created_at")));
    }
}
