package madoguchi.app.staff;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import madoguchi.app.sites.SiteAccess;
import madoguchi.app.sites.SiteAccessStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The access notes residents see with their booking and their site (station, parking, floor, a
 * map link), edited by administrators: each change audited with what it replaced, in the change's
 * own transaction, as every staff change is ({@link StaffActions#recorded}). The public site list
 * shows them, so they are read at most every {@link #FRESH} (a change here is seen at once; on
 * another instance within that time), never once per request.
 */
public final class SiteAccessNotes {
    static final Duration FRESH = Duration.ofSeconds(30);
    private final SiteAccessStore store;
    private final Clock clock;
    private volatile Future<Map<String, SiteAccess>> read;
    private volatile Instant readAt = Instant.MIN;

    public SiteAccessNotes(SiteAccessStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Every site's notes, by site id (a failed read is not kept: the next call reads again). */
    public Future<Map<String, SiteAccess>> all() {
        Instant now = clock.instant();
        Future<Map<String, SiteAccess>> known = read;
        if (known != null && !(known.isComplete() && known.failed()) && now.isBefore(readAt.plus(FRESH))) {
            return known;
        }
        Future<Map<String, SiteAccess>> fresh = store.all();
        read = fresh;
        readAt = now;
        return fresh;
    }

    /** Replaces a site's notes; fails with {@code NotRecorded} when the change (and its audit row) could not be written. */
    public Future<Void> change(Principal who, String siteId, SiteAccess access) {
        return StaffActions.recorded(store.put(siteId, access, before -> StaffActions.entry(who, "site.access", "site:" + siteId,
                before.map(SiteAccessNotes::shown).orElse(null), shown(access), null))).onSuccess(v -> read = null);
    }

    /** How the audit trail keeps the notes. */
    public static JsonObject shown(SiteAccess a) {
        return new JsonObject().put("mapUrl", a.mapUrl())
                .put("station", new JsonObject().put("ja", a.stationJa()).put("en", a.stationEn()))
                .put("parking", new JsonObject().put("ja", a.parkingJa()).put("en", a.parkingEn()))
                .put("floor", new JsonObject().put("ja", a.floorJa()).put("en", a.floorEn()));
    }
}
