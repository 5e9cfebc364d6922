package madoguchi.app.sites;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import madoguchi.domain.Site;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The sites and their booking rules, kept in memory: read on every booking, changed rarely
 * (reloaded after an administrator's change, when another instance announces one, and now and
 * then as a safety net). A site asked for and not known is looked for in the database before
 * anyone is told it does not exist: it may have been opened on another instance a moment ago.
 */
public final class Sites {
    private final SiteStore store;
    private volatile Map<String, Site> byId = Map.of();
    /** Told each site a reload finds for the first time (the allocator loads its slots); the reload waits for it. */
    private volatile Function<String, Future<Void>> added = id -> Future.succeededFuture();
    // a reload in flight, and the one asked for while it runs (shared by everyone who asked meanwhile)
    private Future<Void> running;
    private Promise<Void> next;

    public Sites(SiteStore store) {
        this.store = store;
    }

    /** Who loads what a new site needs besides its row (set once at start-up). */
    public void onAdded(Function<String, Future<Void>> loader) {
        this.added = loader;
    }

    // one read at a time (reload): a read that began before a site was added never replaces one that found it
    private Future<Void> read() {
        return store.all().compose(list -> {
            Map<String, Site> map = new LinkedHashMap<>();
            list.forEach(s -> map.put(s.id(), s));
            Map<String, Site> before = byId;
            byId = Collections.unmodifiableMap(map);
            List<Future<Void>> loads = new ArrayList<>();
            map.keySet().stream().filter(id -> !before.containsKey(id)).forEach(id -> loads.add(added.apply(id)));
            return Future.all(loads).mapEmpty();
        });
    }

    /**
     * Reads every site in a read that starts after this call, sharing it with every other caller
     * meanwhile: a burst of misses or announcements costs one read in flight and one waiting,
     * however many asked.
     */
    public Future<Void> reload() {
        synchronized (this) {
            if (running == null) {
                return startReload();
            }
            if (next == null) {
                next = Promise.promise();
            }
            return next.future();
        }
    }

    // called holding the monitor
    private Future<Void> startReload() {
        Future<Void> read = read();
        running = read;
        read.onComplete(done -> {
            synchronized (this) {
                running = null;
                Promise<Void> waiting = next;
                next = null;
                if (waiting != null) {
                    startReload().onComplete(r -> {
                        if (r.succeeded()) {
                            waiting.complete();
                        } else {
                            waiting.fail(r.cause());
                        }
                    });
                }
            }
        });
        return read;
    }

    public Site get(String id) {
        return byId.get(id);
    }

    /** The site, read from the database when memory does not know it; null when there is no such site. */
    public Future<Site> find(String id) {
        Site known = byId.get(id);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        return reload().map(v -> byId.get(id));
    }

    public Collection<Site> all() {
        return byId.values();
    }
}
