package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.sites.SiteStore;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.Site;
import madoguchi.domain.SiteKind;

import java.time.Duration;
import java.util.List;

public final class PgSiteStore implements SiteStore {
    private static final String ALL = "SELECT * FROM sites"
            + " ORDER BY sort_order, array_position(ARRAY['center', 'ward', 'branch', 'popup'], kind), created_at, id";
    private static final String INSERT = "INSERT INTO sites (id, name_ja, name_en, kind, address_ja, address_en, walk_in,"
            + " slot_minutes, min_notice_minutes, horizon_days, hold_web_seconds, hold_phone_seconds)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

    private final Pool pool;
    private final PgChangeNews news;

    public PgSiteStore(Pool pool, PgChangeNews news) {
        this.pool = pool;
        this.news = news;
    }

    @Override
    public Future<List<Site>> all() {
        return pool.query(ALL).execute().map(rows -> PgSeatSource.list(rows, PgSiteStore::site));
    }

    @Override
    public Future<Void> create(Site s, madoguchi.app.AuditEntry audit) {
        Tuple t = Tuple.tuple().addString(s.id()).addString(s.nameJa()).addString(s.nameEn()).addString(s.kind().wire())
                .addString(s.addressJa()).addString(s.addressEn()).addBoolean(s.walkIn()).addInteger(s.slotMinutes())
                .addInteger((int) s.window().minNotice().toMinutes()).addInteger(s.window().horizonDays())
                .addInteger((int) s.webHold().toSeconds()).addInteger((int) s.phoneHold().toSeconds());
        return pool.withTransaction(conn -> conn.preparedQuery(INSERT).execute(t).compose(v -> PgAudit.insert(conn, audit))
                .compose(v -> news.site(conn, s.id()))).recover(e -> {
            if (e instanceof PgException && "23505".equals(((PgException) e).getSqlState())) {
                return Future.failedFuture(new Conflict("a site with id '" + s.id() + "' already exists"));
            }
            return Future.failedFuture(e);
        });
    }

    static Site site(Row r) {
        return new Site(r.getString("id"), r.getString("name_ja"), r.getString("name_en"),
                SiteKind.fromWire(r.getString("kind")).orElse(SiteKind.POPUP),
                r.getString("address_ja"), r.getString("address_en"), r.getBoolean("walk_in"), r.getInteger("slot_minutes"),
                new BookingWindow(Duration.ofMinutes(r.getInteger("min_notice_minutes")), r.getInteger("horizon_days")),
                Duration.ofSeconds(r.getInteger("hold_web_seconds")), Duration.ofSeconds(r.getInteger("hold_phone_seconds")));
    }
}
