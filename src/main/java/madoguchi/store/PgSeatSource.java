package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.booking.SeatSource;
import madoguchi.app.booking.ShardState;
import madoguchi.domain.ActiveBooking;
import madoguchi.domain.Hold;
import madoguchi.domain.SlotSnapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Reads slots, holds and bookings for the allocator. */
public final class PgSeatSource implements SeatSource {
    private static final String SLOTS = "SELECT " + Rows.SLOT_COLUMNS
            + " FROM slots s WHERE s.site_id = ANY($1) AND s.start_at >= $2 ORDER BY s.start_at";
    private static final String HOLDS = "SELECT " + Rows.HOLD_COLUMNS
            + " FROM holds h JOIN slots s ON s.id = h.slot_id WHERE h.status = 'active' AND s.site_id = ANY($1)";
    private static final String BOOKINGS = "SELECT " + Rows.BOOKING_COLUMNS
            + " FROM bookings b WHERE b.status = 'active' AND b.site_id = ANY($1)";
    private static final String BOOKING_OF_CARD = "SELECT " + Rows.BOOKING_COLUMNS
            + " FROM bookings b WHERE b.card_id = $1 AND b.status = 'active'";
    private static final String HOLD_BY_ID = "SELECT " + Rows.HOLD_COLUMNS
            + " FROM holds h WHERE h.id = $1 AND h.status = 'active'";
    private static final String EXPIRE_ABANDONED =
            "WITH gone AS (UPDATE holds SET status = 'expired', closed_at = now()"
            + "   WHERE status = 'active' AND expires_at < $2::timestamptz - make_interval(secs => $1) RETURNING slot_id),"
            + " counted AS (SELECT slot_id, count(*)::int AS n FROM gone GROUP BY slot_id)"
            + " UPDATE slots s SET held = s.held - c.n, version = s.version + 1 FROM counted c WHERE s.id = c.slot_id"
            + " RETURNING " + Rows.SLOT_COLUMNS;

    private final Pool pool;

    public PgSeatSource(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<ShardState> load(Set<String> siteIds, Instant from, Instant now) {
        String[] sites = siteIds.toArray(new String[0]);
        // holds left by a previous run that have run out are ended first, so their seats come back
        return expireAbandonedHolds(now, Duration.ZERO)
                .compose(x -> slots(siteIds, from))
                .compose(slots -> pool.preparedQuery(HOLDS).execute(Tuple.of(sites))
                        .compose(holds -> pool.preparedQuery(BOOKINGS).execute(Tuple.of(sites))
                                .map(bookings -> new ShardState(slots, list(holds, Rows::hold), list(bookings, Rows::booking)))));
    }

    @Override
    public Future<List<SlotSnapshot>> slots(Set<String> siteIds, Instant from) {
        return pool.preparedQuery(SLOTS).execute(Tuple.of(siteIds.toArray(new String[0]), Rows.time(from)))
                .map(rows -> list(rows, Rows::slot));
    }

    @Override
    public Future<Optional<String>> siteOfSlot(long slotId) {
        return pool.preparedQuery("SELECT site_id FROM slots WHERE id = $1").execute(Tuple.of(slotId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0)));
    }

    @Override
    public Future<Optional<ActiveBooking>> activeBookingOf(long cardId) {
        return pool.preparedQuery(BOOKING_OF_CARD).execute(Tuple.of(cardId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(Rows.booking(rows.iterator().next())));
    }

    @Override
    public Future<Optional<Hold>> activeHold(UUID holdId) {
        return pool.preparedQuery(HOLD_BY_ID).execute(Tuple.of(holdId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(Rows.hold(rows.iterator().next())));
    }

    @Override
    public Future<Long> reserveBookingIds(int blockSize) {
        return pool.query("SELECT nextval('booking_id_blocks') AS block").execute()
                .map(rows -> rows.iterator().next().getLong("block") * blockSize);
    }

    @Override
    public Future<List<SlotSnapshot>> expireAbandonedHolds(Instant now, Duration grace) {
        return pool.preparedQuery(EXPIRE_ABANDONED).execute(Tuple.of((double) grace.toSeconds(), Rows.time(now)))
                .map(rows -> list(rows, Rows::slot));
    }

    static <T> List<T> list(Iterable<Row> rows, java.util.function.Function<Row, T> f) {
        List<T> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(f.apply(r));
        }
        return out;
    }
}
