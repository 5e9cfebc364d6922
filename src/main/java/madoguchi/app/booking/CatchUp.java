package madoguchi.app.booking;

import io.vertx.core.Future;
import madoguchi.domain.SeatLedger;
import madoguchi.domain.SlotSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A shard catching up with the database: slots an administrator added or changed, seats other
 * instances took or gave back, holds they abandoned. It also keeps count of the writes whose
 * connection was lost (their seats stay counted for readers until a read begun after them).
 */
final class CatchUp {
    private static final Logger LOG = LoggerFactory.getLogger(CatchUp.class);

    private final int index;
    private final SeatSource source;
    private final SeatLedger ledger;
    private final Clock clock;
    private final Duration abandonedHoldGrace;
    private final Executor loop;
    private final Supplier<Set<String>> sites;
    private final Consumer<String> slotsAdded;
    /** Writes whose connection was lost so far: a read begun after the last of them may clear the seats kept for them. */
    private long doubts;

    CatchUp(int index, SeatSource source, SeatLedger ledger, Clock clock, Duration abandonedHoldGrace, Executor loop,
            Supplier<Set<String>> sites, Consumer<String> slotsAdded) {
        this.index = index;
        this.source = source;
        this.ledger = ledger;
        this.clock = clock;
        this.abandonedHoldGrace = abandonedHoldGrace;
        this.loop = loop;
        this.sites = sites;
        this.slotsAdded = slotsAdded;
    }

    /** A write's connection was lost: it may or may not have committed (shard thread). */
    void doubt() {
        doubts++;
    }

    /** Loads slots added or changed by an administrator (or by materialising new days). */
    Future<Void> reload(Set<String> siteIds) {
        // the writes in doubt are counted before the read begins, on the shard's thread
        return OnShard.call(loop, () -> doubts).compose(seen -> source.slots(siteIds, clock.instant().minus(Duration.ofDays(1)))
                .compose(rows -> OnShard.call(loop, () -> {
                    rows.forEach(row -> adopt(row, seen));
                    return null;
                })));
    }

    /** Catches up with changes made by other instances (and by holds they abandoned). */
    void refresh() {
        long seen = doubts;
        // by the service's clock, which set every expiry (the database's may differ from it)
        source.expireAbandonedHolds(clock.instant(), abandonedHoldGrace)
                .compose(changed -> source.slots(sites.get(), clock.instant()).map(rows -> {
                    List<SlotSnapshot> all = new ArrayList<>(changed);
                    all.addAll(rows);
                    return all;
                }))
                .onSuccess(rows -> loop.execute(() -> {
                    Set<String> grown = new HashSet<>();
                    for (SlotSnapshot row : rows) {
                        if (ledger.slot(row.id()) == null) {
                            grown.add(row.siteId());
                        }
                        adopt(row, seen);
                    }
                    grown.forEach(slotsAdded);
                }))
                .onFailure(e -> LOG.debug("shard {}: refresh failed: {}", index, e.toString()));
    }

    /** A row read again; {@code seen}: the writes in doubt when the read began. */
    private void adopt(SlotSnapshot row, long seen) {
        if (seen == doubts) {
            ledger.refreshAfterDoubt(row);
        } else {
            ledger.refresh(row);
        }
    }
}
