package madoguchi.app.booking;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import madoguchi.app.DatabaseProbe;
import madoguchi.domain.Decision;
import madoguchi.domain.Hold;
import madoguchi.domain.Refusal;
import madoguchi.domain.SeatLedger;
import madoguchi.domain.SlotSeats;
import madoguchi.domain.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One shard of the allocator: owns the seats of its sites, decides on its own Vert.x context
 * (one thread, no locks), and commits what it decided in batches — one transaction each, while
 * the next batch gathers (group commit). A caller is answered only after the commit.
 */
final class AllocatorShard {
    private static final Logger LOG = LoggerFactory.getLogger(AllocatorShard.class);
    private static final int MAX_ATTEMPTS = 5;

    private final int index;
    private final Vertx vertx;
    private final SeatJournal journal;
    private final SeatSource source;
    private final Clock clock;
    private final AllocatorSettings settings;
    private final AllocatorObserver observer;
    /** Tells a database that cannot be reached from one that refused a request's data. */
    private final DatabaseProbe failures;
    private final Decide decide;
    private final SeatLedger ledger;
    private final Set<String> siteIds = ConcurrentHashMap.newKeySet();
    private final AtomicInteger queued = new AtomicInteger();
    /** What committing one decision has cost lately (shard thread only); 0 until measured. */
    private long nanosPerDecision;
    private final Pending pending = new Pending();
    /** Booking ids at hand (made once the shard has its thread). */
    private BookingIds ids;
    /** Booking ids reserved at a time. */
    int idBlock = BookingIds.BLOCK;
    private final Followers followers = new Followers();
    /** Told the site of each slot a refresh found that this shard did not know (its calendar is stale). */
    private volatile Consumer<String> slotsAdded = site -> { };
    private Context context;
    /** Runs a task on the shard's thread, after those already queued (its context's; a simulator's own). */
    private Executor loop;
    private Recovery recovery;
    private CatchUp catchUp;
    private boolean flushScheduled;
    /** The last group number handed to half of a failed batch. */
    private int groups;

    AllocatorShard(int index, Vertx vertx, SeatJournal journal, SeatSource source, Clock clock,
                   AllocatorSettings settings, AllocatorObserver observer, DatabaseProbe failures,
                   Decide decide) {
        this(index, vertx, journal, source, clock, settings, observer, failures, decide, s -> { });
    }

    /** {@code watcher}: told of every view of a slot's seats readers on other threads may get (a simulator checks each). */
    AllocatorShard(int index, Vertx vertx, SeatJournal journal, SeatSource source, Clock clock,
                   AllocatorSettings settings, AllocatorObserver observer, DatabaseProbe failures,
                   Decide decide, Consumer<SlotSeats> watcher) {
        this.ledger = new SeatLedger(watcher);
        this.index = index;
        this.vertx = vertx;
        this.journal = journal;
        this.source = source;
        this.clock = clock;
        this.settings = settings;
        this.observer = observer;
        this.failures = failures;
        this.decide = decide;
    }

    int queued() {
        return queued.get();
    }

    /** Binds the shard to its context and loads its state; runs on that context. */
    Future<Void> start(Context context, Collection<String> sites) {
        this.context = context;
        return startOn(task -> context.runOnContext(v -> task.run()), sites)
                .onSuccess(v -> {
                    vertx.setPeriodic(settings.expiryEvery().toMillis(), id -> loop.execute(this::expireHolds));
                    vertx.setPeriodic(settings.refreshEvery().toMillis(), id -> loop.execute(this::refresh));
                });
    }

    /**
     * Loads the shard's state and runs it on {@code loop}, with no timers: the service's context,
     * or a simulator's own queue of tasks, which it runs in an order its seed decides.
     */
    Future<Void> startOn(Executor loop, Collection<String> sites) {
        this.loop = loop;
        this.ids = new BookingIds(index, clock, source, loop, idBlock);
        this.recovery = new Recovery(index, source, ledger, pending, loop);
        this.catchUp = new CatchUp(index, source, ledger, clock, settings.abandonedHoldGrace(), loop,
                () -> Set.copyOf(siteIds), site -> slotsAdded.accept(site));
        siteIds.addAll(sites);
        return source.load(Set.copyOf(siteIds), clock.instant().minus(Duration.ofDays(1)), clock.instant())
                .map(state -> {
                    state.slots().forEach(ledger::load);
                    state.holds().forEach(ledger::loadHold);
                    state.bookings().forEach(ledger::loadBooking);
                    LOG.info("allocator shard {} serves {} with {} slots, {} holds, {} active bookings", index,
                            siteIds, state.slots().size(), state.holds().size(), state.bookings().size());
                    return null;
                })
                .compose(v -> ids.refill())
                .mapEmpty();
    }

    /** Slots of this shard's sites, readable from any thread (availability). */
    SlotSeats slot(long slotId) {
        return ledger.slot(slotId);
    }

    Collection<SlotSeats> slots() {
        return ledger.slots();
    }

    /** Queues a request; answers at once with BUSY when the shard is saturated. */
    Future<Settled> submit(SeatRequest request) {
        if (queued.incrementAndGet() > settings.queueLimit()) {
            queued.decrementAndGet();
            observer.overloaded(index);
            return Future.succeededFuture(Settled.refused(Refusal.BUSY));
        }
        Context caller = Vertx.currentContext();
        Promise<Settled> promise = Promise.promise();
        request.promise = promise;
        request.caller = caller;
        loop.execute(() -> decide(request));
        return promise.future();
    }

    /** Runs {@code work} on the shard's thread (admin changes, reloads) and returns its result. */
    private <T> Future<T> onShard(Function<SeatLedger, T> work) {
        return OnShard.call(loop, () -> work.apply(ledger));
    }

    /** Carries out news of a change already committed elsewhere, or answers a question, on the shard's thread. */
    <T> Future<T> tell(SeatNews<T> news) {
        return onShard(l -> NewsOnLedger.apply(news, l));
    }

    /** Loads slots added or changed by an administrator (or by materialising new days). */
    Future<Void> reload(Set<String> sites) {
        return catchUp.reload(sites);
    }

    void addSite(String siteId) {
        siteIds.add(siteId);
    }

    void onSlotsAdded(Consumer<String> listener) {
        this.slotsAdded = listener;
    }

    private void decide(SeatRequest request) {
        decide(request, false);
    }

    /** {@code again}: decided anew after its batch failed; it was admitted already. */
    private void decide(SeatRequest request, boolean again) {
        try {
            decideOrThrow(request, again);
        } catch (RuntimeException e) {
            // a bug must cost this one request, never the shard: the others queued go on, and the
            // queue depth comes back down (the request is answered)
            LOG.error("shard {}: a request could not be decided", index, e);
            if (!request.sweep()) {
                observer.decisionFailed(index);
            }
            if (!request.answered) {
                finish(request, Settled.refused(Refusal.UNAVAILABLE));
            }
        }
    }

    private void decideOrThrow(SeatRequest request, boolean again) {
        if (followers.follows(request)) {
            return; // a double click or a retry while the first is being committed: it gets the first's answer
        }
        long started = System.nanoTime();
        Verdict verdict = decide.on(request.command, ledger, ids);
        observer.decided(index, System.nanoTime() - started);
        if (verdict == Refusal.UNAVAILABLE && ids.exhausted() && request.idWaits < 3) {
            // a burst used up the shard's booking ids: decide again once the next block is reserved
            // (a refill failing three times means the database is away, and unavailable is the answer)
            request.idWaits++;
            ids.refill().onComplete(r -> loop.execute(() -> decide(request)));
            return;
        }
        if (verdict instanceof Refusal) {
            Refusal refusal = (Refusal) verdict;
            if (request.attempts == 0 && Recovery.mayHelp(refusal, request)) {
                request.attempts++;
                recovery.recover(refusal, request, () -> decide(request));
            } else {
                finish(request, Settled.refused(refusal));
            }
            return;
        }
        Decision decision = (Decision) verdict;
        if (!again && overBudget()) {
            // it would wait longer than the budget for its commit: say busy now, and only to
            // requests that needed a seat (a full slot is still told slot_full, which is final)
            ledger.undo(decision);
            observer.overloaded(index);
            finish(request, Settled.refused(Refusal.BUSY));
            return;
        }
        // the decision itself is kept under the key, in the batch's commit; channels render it
        KeptDecision kept = request.idempotency == null ? null : KeptDecision.of(decision);
        followers.leads(request);
        pending.add(request, new JournalEntry(decision, request.idempotency, kept, request.audit == null ? null : request.audit.apply(decision)));
        scheduleFlush();
    }

    private boolean overBudget() {
        int waiting = pending.size();
        long budget = settings.waitBudget().toNanos();
        return budget > 0 && waiting >= AllocatorSettings.ALWAYS_ADMITTED && waiting * nanosPerDecision > budget;
    }

    private void scheduleFlush() {
        if (!pending.writing() && !flushScheduled) {
            flushScheduled = true;
            // run after the tasks already queued on this context, so that they join the batch
            loop.execute(this::flush);
        }
    }

    private void flush() {
        flushScheduled = false;
        if (pending.writing() || pending.isEmpty()) {
            return;
        }
        List<Pending.Item> items = pending.startBatch(settings.batchLimit());
        List<SeatRequest> requests = items.stream().map(Pending.Item::request).toList();
        List<JournalEntry> batch = items.stream().map(Pending.Item::entry).toList();
        long started = System.nanoTime();
        Future<JournalOutcome> written;
        try {
            written = journal.write(batch);
        } catch (RuntimeException e) {
            written = Future.failedFuture(e); // a journal that throws must not leave the shard writing forever
        }
        written.onComplete(result -> loop.execute(() -> {
            pending.batchAnswered();
            long took = System.nanoTime() - started;
            observer.committed(index, batch.size(), took, result.succeeded());
            if (result.succeeded()) {
                paced(batch.size(), took);
            }
            if (result.failed()) {
                failed(requests, batch, result.cause());
            } else {
                written(requests, batch, result.result());
            }
            pending.batchSettled();
            if (!pending.isEmpty()) {
                scheduleFlush();
            }
        }));
    }

    /**
     * Keeps a moving average of what one decision costs to commit, from committed batches large
     * enough to say (a tiny batch is all round trip), for the admission check in decide. Failed
     * commits are left out: an outage must not keep the shard refusing once the database is back.
     */
    private void paced(int size, long nanos) {
        if (size >= 16) {
            long perDecision = nanos / size;
            nanosPerDecision = nanosPerDecision == 0 ? perDecision : (nanosPerDecision * 7 + perDecision) / 8;
        }
    }

    private void written(List<SeatRequest> requests, List<JournalEntry> batch, JournalOutcome outcome) {
        List<Reconcile.Fate> fates = Reconcile.of(batch, outcome);
        if (outcome.committed()) {
            // in one step per slot, so that readers never see the batch's seats neither pending nor committed
            ledger.settle(batch.stream().map(JournalEntry::decision).toList(), outcome.snapshots());
            for (int i = 0; i < batch.size(); i++) {
                finish(requests.get(i), Settled.done(batch.get(i).decision()));
            }
            return;
        }
        // Nothing committed. Undo, newest first, every decision the database refused and every
        // decision to make again; keep the rest for the next batch. Decisions queued behind for the
        // same cards were made on top of them (a move of the booking being refused): taken back
        // first, and decided again after.
        List<SeatRequest> behind = takeBackQueuedOf(requests, fates);
        for (int i = batch.size() - 1; i >= 0; i--) {
            Decision d = batch.get(i).decision();
            Reconcile.Fate fate = fates.get(i);
            if (fate instanceof Reconcile.Fate.Keep) {
                continue;
            }
            ledger.undo(d);
            if (fate instanceof Reconcile.Fate.Refused refused) {
                Recovery.rejected(ledger, d, refused.rejection());
            } else if (fate instanceof Reconcile.Fate.Again again && again.current() != null) {
                ledger.loadBooking(again.current());
            } else if (fate instanceof Reconcile.Fate.Again again && again.replacedHoldEnded()) {
                ledger.forgetHold(((Decision.HoldTaken) d).replaced().id());
            }
        }
        outcome.snapshots().forEach(ledger::load);
        List<SeatRequest> again = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (fates.get(i) instanceof Reconcile.Fate.Refused refused) {
                Rejection rejection = refused.rejection();
                finish(requests.get(i), rejection.replay() != null
                        ? Settled.replayed(rejection.replay()) : Settled.refused(rejection.refusal()));
            } else if (fates.get(i) instanceof Reconcile.Fate.Again) {
                again.add(requests.get(i));
            }
        }
        for (int i = batch.size() - 1; i >= 0; i--) {
            if (fates.get(i) instanceof Reconcile.Fate.Keep) {
                pending.putBackFirst(new Pending.Item(requests.get(i), batch.get(i)));
            }
        }
        for (SeatRequest request : again) {
            if (++request.attempts > MAX_ATTEMPTS) {
                finish(request, Settled.refused(Refusal.BUSY));
            } else {
                decide(request);
            }
        }
        for (SeatRequest request : behind) {
            decide(request, true);
        }
    }

    /** Undoes, newest first, the queued decisions for the cards of the batch's entries not kept; returns their requests in order. */
    private List<SeatRequest> takeBackQueuedOf(List<SeatRequest> requests, List<Reconcile.Fate> fates) {
        Set<Long> cards = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            if (!(fates.get(i) instanceof Reconcile.Fate.Keep)) {
                cards.add(requests.get(i).cardId());
            }
        }
        return takeBack(pending.takeFor(cards));
    }

    /** Undoes these queued decisions, newest first; returns their requests, oldest first, to be decided again. */
    private List<SeatRequest> takeBack(List<Pending.Item> items) {
        for (int i = items.size() - 1; i >= 0; i--) {
            ledger.undo(items.get(i).decision());
        }
        return items.stream().map(Pending.Item::request).toList();
    }

    /**
     * Nothing of the batch was written. When the database cannot be reached, every request in it
     * is told so. Otherwise one of them may carry what the database refuses (a NUL byte in a
     * reason): the batch is split in halves, written apart, down to that one request, which alone
     * is refused — as {@link Refusal#UNRECORDABLE} when the database refused its data. Each other
     * request is decided again and answered as if it had come alone.
     *
     * <p>Memory first goes back to what is durable: the decisions queued behind the batch were
     * made on top of it, so they are taken back too and decided again in their order.
     */
    private void failed(List<SeatRequest> requests, List<JournalEntry> batch, Throwable cause) {
        boolean unreachable = failures.unreachable(cause);
        List<SeatRequest> behind = takeBack(pending.takeAll());
        for (int i = batch.size() - 1; i >= 0; i--) {
            // a lost connection may have lost only the answer: readers keep the batch's seats counted until read again
            ledger.undo(batch.get(i).decision(), unreachable);
        }
        if (unreachable) {
            catchUp.doubt();
            loop.execute(this::refresh);
        }
        List<SeatRequest> again = new ArrayList<>();
        if (unreachable || batch.size() == 1) {
            Refusal refusal = !unreachable && failures.refusesData(cause) ? Refusal.UNRECORDABLE : Refusal.UNAVAILABLE;
            LOG.warn("shard {}: a batch of {} could not be written ({}): {}", index, batch.size(), refusal.code(), cause.toString());
            for (SeatRequest request : requests) {
                finish(request, Settled.refused(refusal));
            }
        } else {
            LOG.info("shard {}: a batch of {} could not be written, written again in halves: {}", index, batch.size(), cause.toString());
            int first = ++groups;
            int second = ++groups;
            for (int i = 0; i < requests.size(); i++) {
                requests.get(i).group = i < requests.size() / 2 ? first : second;
            }
            again.addAll(requests);
        }
        again.addAll(behind);
        for (SeatRequest request : again) {
            decide(request, true);
        }
    }

    private void finish(SeatRequest request, Settled settled) {
        if (request.answered) {
            return;
        }
        request.answered = true;
        if (request.sweep() && (settled.refusal() == Refusal.UNAVAILABLE || settled.refusal() == Refusal.UNRECORDABLE)) {
            // the hold stays in memory (its end was undone) and the next sweep tries again
            observer.sweepFailed(index);
        }
        queued.decrementAndGet();
        if (request.caller != null && request.caller != context) {
            request.caller.runOnContext(v -> request.promise.complete(settled));
        } else {
            request.promise.complete(settled);
        }
        for (SeatRequest follower : followers.answered(request)) {
            finish(follower, settled);
        }
    }

    /** Ends the holds whose time is up now; completes when those releases are durable. */
    Future<Integer> expireDueHolds() {
        return OnShard.call(loop, this::expireHolds).compose(list -> Future.join(new ArrayList<>(list)).map(x -> list.size()));
    }

    private List<Future<Settled>> expireHolds() {
        List<Future<Settled>> releases = new ArrayList<>();
        for (Hold due : ledger.dueHolds(clock.instant())) {
            queued.incrementAndGet();
            SeatRequest request = new SeatRequest(new SeatCommand.Expire(due.cardId(), due.id()), null, null);
            request.promise = Promise.promise();
            request.promise.future().onSuccess(s -> observer.holdExpired(index, s.ok()));
            releases.add(request.promise.future());
            decide(request);
        }
        return releases;
    }

    /** Catches up with changes made by other instances (and by holds they abandoned). */
    void refresh() {
        catchUp.refresh();
    }

    /** Site ids this shard serves. */
    Set<String> siteIds() {
        return new HashSet<>(siteIds);
    }
}
