package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.AuditEntry;
import madoguchi.app.sites.SiteAccess;
import madoguchi.app.sites.SiteAccessStore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

public final class PgSiteAccessStore implements SiteAccessStore {
    private static final String UPSERT = "INSERT INTO site_access (site_id, map_url, station_ja, station_en, parking_ja, parking_en,"
            + " floor_ja, floor_en, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())"
            + " ON CONFLICT (site_id) DO UPDATE SET map_url = $2, station_ja = $3, station_en = $4, parking_ja = $5,"
            + " parking_en = $6, floor_ja = $7, floor_en = $8, updated_at = now()";

    private final Pool pool;

    public PgSiteAccessStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<Map<String, SiteAccess>> all() {
        return pool.query("SELECT * FROM site_access").execute().map(rows -> {
            Map<String, SiteAccess> out = new LinkedHashMap<>();
            rows.forEach(r -> out.put(r.getString("site_id"), access(r)));
            return out;
        });
    }

    @Override
    public Future<Void> put(String siteId, SiteAccess a, Function<Optional<SiteAccess>, AuditEntry> audit) {
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT * FROM site_access WHERE site_id = $1 FOR UPDATE")
                .execute(Tuple.of(siteId))
                .compose(rows -> {
                    Optional<SiteAccess> before = rows.size() == 0 ? Optional.empty() : Optional.of(access(rows.iterator().next()));
                    return conn.preparedQuery(UPSERT).execute(tuple(siteId, a)).compose(v -> PgAudit.insert(conn, audit.apply(before)));
                }));
    }

    /** The notes of one site, written with the caller's connection (the demo data's transaction). */
    static Future<Void> insert(io.vertx.sqlclient.SqlClient client, String siteId, SiteAccess a) {
        return client.preparedQuery(UPSERT).execute(tuple(siteId, a)).mapEmpty();
    }

    private static Tuple tuple(String siteId, SiteAccess a) {
        return Tuple.tuple().addString(siteId).addString(a.mapUrl()).addString(a.stationJa()).addString(a.stationEn())
                .addString(a.parkingJa()).addString(a.parkingEn()).addString(a.floorJa()).addString(a.floorEn());
    }

    private static SiteAccess access(Row r) {
        return new SiteAccess(r.getString("map_url"), r.getString("station_ja"), r.getString("station_en"),
                r.getString("parking_ja"), r.getString("parking_en"), r.getString("floor_ja"), r.getString("floor_en"));
    }
}
