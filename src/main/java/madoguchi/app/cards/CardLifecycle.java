package madoguchi.app.cards;

import madoguchi.app.booking.Allocator;
import madoguchi.app.booking.SeatNews;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The end of a booking other than a cancel: the card handed over at the counter (issued), or the
 * slot over without the resident (no-show). Both are written to the database first; then the
 * shard that owns the site forgets the card's booking so that the card may book again. Neither
 * gives the seat back: the slot happened (see {@link SeatNews.BookingEnded}).
 */
public final class CardLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(CardLifecycle.class);

    private final LifecycleStore store;
    private final Allocator allocator;
    private final Clock clock;

    public CardLifecycle(LifecycleStore store, Allocator allocator, Clock clock) {
        this.store = store;
        this.allocator = allocator;
        this.clock = clock;
    }

    public Future<LifecycleStore.IssueResult> issued(String code, String actor) {
        return issued(code, actor, null);
    }

    /** As above; the audit entry of the issue is written in its transaction. */
    public Future<LifecycleStore.IssueResult> issued(String code, String actor,
                                                     java.util.function.Function<LifecycleStore.Issued, madoguchi.app.AuditEntry> audit) {
        return store.markIssued(code, actor, clock.instant(), audit).compose(result -> {
            if (result instanceof LifecycleStore.Issued issued) {
                return forget(List.of(issued.booking())).map(result);
            }
            return Future.succeededFuture(result);
        });
    }

    /** The card was handed over at the counter through its visit's steps: the allocator forgets its booking. */
    public Future<Void> handedOver(String siteId, long cardId, String code) {
        return forget(List.of(new LifecycleStore.Ended(0, cardId, siteId, code, "issued")));
    }

    /** Turns the bookings of ended slots into no-shows; returns how many. */
    public Future<Integer> sweepNoShows() {
        return sweepNoShows(clock.instant());
    }

    /** As {@link #sweepNoShows()}, for the slots ended at {@code now}. */
    public Future<Integer> sweepNoShows(java.time.Instant now) {
        return store.markNoShows(now).compose(ended -> {
            if (!ended.isEmpty()) {
                LOG.info("no-show sweep: {} bookings of ended slots marked no_show", ended.size());
            }
            return forget(ended).map(ended.size());
        });
    }

    private Future<Void> forget(List<LifecycleStore.Ended> ended) {
        List<Future<Boolean>> each = new ArrayList<>();
        for (LifecycleStore.Ended e : ended) {
            // a site unknown to this instance's allocator (just created elsewhere) has nothing to forget
            each.add(allocator.tell(e.siteId(), new SeatNews.BookingEnded(e.cardId(), e.code()))
                    .recover(x -> Future.succeededFuture(false)));
        }
        return Future.join(new ArrayList<>(each)).mapEmpty();
    }
}
