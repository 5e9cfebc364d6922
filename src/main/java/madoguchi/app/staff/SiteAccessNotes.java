package madoguchi.app.staff;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import madoguchi.app.sites.SiteAccess;
import madoguchi.app.sites.SiteAccessStore;

import java.util.Map;

/**
 * The access notes residents see with their booking and their site (station, parking, floor, a
 * map link), edited by administrators: each change audited with what it replaced, in the change's
 * own transaction, as every staff change is ({@link StaffActions#recorded}). They are read from
 * the database when asked (ten rows at most a city), so every instance shows the same at once.
 */
public final class SiteAccessNotes {
    private final SiteAccessStore store;

    public SiteAccessNotes(SiteAccessStore store) {
        this.store = store;
    }

    public Future<Map<String, SiteAccess>> all() {
        return store.all();
    }

    /** Replaces a site's notes; fails with {@code NotRecorded} when the change (and its audit row) could not be written. */
    public Future<Void> change(Principal who, String siteId, SiteAccess access) {
        return StaffActions.recorded(store.put(siteId, access, before -> StaffActions.entry(who, "site.access", "site:" + siteId,
                before.map(SiteAccessNotes::shown).orElse(null), shown(access), null)));
    }

    /** How the audit trail keeps the notes. */
    public static JsonObject shown(SiteAccess a) {
        return new JsonObject().put("mapUrl", a.mapUrl())
                .put("station", new JsonObject().put("ja", a.stationJa()).put("en", a.stationEn()))
                .put("parking", new JsonObject().put("ja", a.parkingJa()).put("en", a.parkingEn()))
                .put("floor", new JsonObject().put("ja", a.floorJa()).put("en", a.floorEn()));
    }
}
