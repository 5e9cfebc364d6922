package madoguchi.app.changes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import madoguchi.app.booking.Allocator;
import madoguchi.app.sites.Sites;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Applies other instances' changes to this instance's memory: the site cache and the slots of
 * the allocator's shards. News that comes in a burst (a holiday or a rule change makes one
 * capacity change after another) is gathered for {@link #GATHER_MS}: each site is read at most
 * once per window, not once per change. The periodic refreshes stay as the safety net.
 */
public final class ChangeFollower implements ChangeNews.Listener {
    static final long GATHER_MS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFollower.class);

    private final Sites sites;
    private final Allocator allocator;
    private final Vertx vertx;
    private final Set<String> slotsDue = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean sitesDue = new AtomicBoolean();

    public ChangeFollower(ChangeNews news, Sites sites, Allocator allocator, Vertx vertx) {
        this.sites = sites;
        this.allocator = allocator;
        this.vertx = vertx;
        news.listen(this);
    }

    @Override
    public void changed(ChangeNews.Kind kind, String siteId) {
        if (kind == ChangeNews.Kind.SITE) {
            if (sitesDue.compareAndSet(false, true)) {
                // a new site: its row, then (Sites tells the allocator of each new site) its slots
                vertx.setTimer(GATHER_MS, id -> {
                    sitesDue.set(false);
                    logged(sites.reload(), "sites");
                });
            }
        } else if (slotsDue.add(siteId)) {
            vertx.setTimer(GATHER_MS, id -> {
                slotsDue.remove(siteId);
                // a site this instance never heard of is read first (news of it may still be on its way)
                logged(sites.find(siteId).compose(site -> site == null ? Future.succeededFuture() : allocator.reload(siteId)),
                        "slots of " + siteId);
            });
        }
    }

    @Override
    public void mayHaveMissedNews() {
        logged(sites.reload().compose(v -> allocator.reloadAll()), "every site and slot");
    }

    private static void logged(Future<?> reload, String what) {
        reload.onFailure(e -> LOG.warn("could not read {} again after a change elsewhere (the periodic refresh will): {}",
                what, e.toString()));
    }
}
