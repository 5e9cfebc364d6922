package madoguchi.app.sites;

import io.vertx.core.Future;
import madoguchi.domain.Site;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sites and their booking rules, kept in memory: read on every booking, changed rarely
 * (reloaded after an administrator's change and now and then for other instances' changes).
 */
public final class Sites {
    private final SiteStore store;
    private volatile Map<String, Site> byId = Map.of();

    public Sites(SiteStore store) {
        this.store = store;
    }

    public Future<Void> reload() {
        return store.all().map(list -> {
            Map<String, Site> map = new LinkedHashMap<>();
            list.forEach(s -> map.put(s.id(), s));
            byId = java.util.Collections.unmodifiableMap(map);
            return null;
        });
    }

    public Site get(String id) {
        return byId.get(id);
    }

    public Collection<Site> all() {
        return byId.values();
    }
}
