package madoguchi.app.booking;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import madoguchi.domain.ActiveBooking;
import madoguchi.domain.Decision;
import madoguchi.domain.Hold;
import madoguchi.domain.Refusal;
import madoguchi.domain.SeatChange;
import madoguchi.domain.SeatLedger;
import madoguchi.domain.SlotSeats;
import madoguchi.domain.SlotSnapshot;
import madoguchi.domain.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

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
    private final madoguchi.app.DatabaseProbe failures;
    private final Decide decide;
    private final SeatLedger ledger;
    private final Set<String> siteIds = ConcurrentHashMap.newKeySet();
    private final AtomicInteger queued = new AtomicInteger();
    /** What committing one decision has cost lately (shard thread only); 0 until measured. */
    private long nanosPerDecision;
    private final ArrayDeque<SeatRequest> accepted = new ArrayDeque<>();
    private final ArrayDeque<JournalEntry> entries = new ArrayDeque<>();
    /** Booking ids at hand (made once the shard has its thread). */
    private BookingIds ids;
    /** Booking ids reserved at a time. */
    int idBlock = BookingIds.BLOCK;
    private final Followers followers = new Followers();
    /** Told the site of each slot a refresh found that this shard did not know (its calendar is stale). */
    private volatile java.util.function.Consumer<String> slotsAdded = site -> { };
    private Context context;
    /** Runs a task on the shard's thread, after those already queued (its context's; a simulator's own). */
    private java.util.concurrent.Executor loop;
    private boolean writing;
    /** The batch being written, while it is. */
    private List<JournalEntry> inFlight = List.of();
    private boolean flushScheduled;
    /** The last group number handed to half of a failed batch. */
    private int groups;
    /** Writes whose connection was lost so far: a read begun after the last of them may clear the seats kept for them. */
    private long doubts;

    AllocatorShard(int index, Vertx vertx, SeatJournal journal, SeatSource source, Clock clock,
                   AllocatorSettings settings, AllocatorObserver observer, madoguchi.app.DatabaseProbe failures,
                   Decide decide) {
        this(index, vertx, journal, source, clock, settings, observer, failures, decide, s -> { });
    }

    /** {@code watcher}: told of every view of a slot's seats readers on other threads may get (a simulator checks each). */
    AllocatorShard(int index, Vertx vertx, SeatJournal journal, SeatSource source, Clock clock,
                   AllocatorSettings settings, AllocatorObserver observer, madoguchi.app.DatabaseProbe failures,
                   Decide decide, java.util.function.Consumer<SlotSeats> watcher) {
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
    Future<Void> startOn(java.util.concurrent.Executor loop, Collection<String> sites) {
        this.loop = loop;
        this.ids = new BookingIds(index, clock, source, loop, idBlock);
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
    private <T> Future<T> onShard(java.util.function.Function<SeatLedger, T> work) {
        Promise<T> promise = Promise.promise();
        loop.execute(() -> {
            try {
                promise.complete(work.apply(ledger));
            } catch (RuntimeException e) {
                promise.fail(e);
            }
        });
        return promise.future();
    }

    /** Carries out news of a change already committed elsewhere, or answers a question, on the shard's thread. */
    @SuppressWarnings("unchecked")
    <T> Future<T> tell(SeatNews<T> news) {
        return onShard(l -> {
            if (news instanceof SeatNews.BookingEnded e) {
                return (T) Boolean.valueOf(l.ended(e.cardId(), e.code()));
            } else if (news instanceof SeatNews.BookingDisplaced d) {
                ActiveBooking known = l.bookingOf(d.cardId());
                if (known == null || !known.code().equals(d.code())) {
                    return (T) Boolean.FALSE;
                }
                if (d.cancelled()) {
                    l.forgetBooking(d.cardId());
                } else {
                    l.loadBooking(known.asOverride("capacity reduced"));
                }
                return (T) Boolean.TRUE;
            } else if (news instanceof SeatNews.LimitsComing c) {
                l.narrow(c.slotIds(), c.next());
                return (T) Boolean.TRUE;
            } else if (news instanceof SeatNews.LimitsSettled c) {
                l.narrowed(c.slotIds());
                return (T) Boolean.TRUE;
            } else {
                return (T) java.util.Optional.ofNullable(l.bookingOf(((SeatNews.BookingOf) news).cardId()));
            }
        });
    }

    /** Loads slots added or changed by an administrator (or by materialising new days). */
    Future<Void> reload(Set<String> sites) {
        long seen = doubts;
        return source.slots(sites, clock.instant().minus(Duration.ofDays(1)))
                .compose(rows -> onShard(l -> {
                    rows.forEach(row -> adopt(row, seen));
                    return null;
                }));
    }

    /** A row read again; {@code seen}: the writes in doubt when the read began. */
    private void adopt(SlotSnapshot row, long seen) {
        if (seen == doubts) {
            ledger.refreshAfterDoubt(row);
        } else {
            ledger.refresh(row);
        }
    }

    void addSite(String siteId) {
        siteIds.add(siteId);
    }

    void onSlotsAdded(java.util.function.Consumer<String> listener) {
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
            if (request.attempts == 0 && recoverable(refusal, request)) {
                recover(refusal, request);
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
        accepted.add(request);
        followers.leads(request);
        entries.add(new JournalEntry(decision, request.idempotency, kept, request.audit == null ? null : request.audit.apply(decision)));
        scheduleFlush();
    }

    private boolean overBudget() {
        int waiting = entries.size();
        long budget = settings.waitBudget().toNanos();
        return budget > 0 && waiting >= AllocatorSettings.ALWAYS_ADMITTED && waiting * nanosPerDecision > budget;
    }

    private static boolean recoverable(Refusal refusal, SeatRequest request) {
        return refusal == Refusal.ALREADY_BOOKED
                || refusal == Refusal.HOLD_EXPIRED && request.holdToFind() != null
                || refusal == Refusal.NOT_FOUND && (request.command.needsBooking() || request.holdToFind() != null);
    }

    /**
     * Memory refused for want of a card's booking or hold, or because of one. Another instance
     * may have made or ended it: ask the database once, correct memory, and decide again.
     */
    private void recover(Refusal refusal, SeatRequest request) {
        request.attempts++;
        Future<Void> corrected;
        if (refusal == Refusal.HOLD_EXPIRED || refusal == Refusal.NOT_FOUND && !request.command.needsBooking()) {
            // a hold this shard does not know: another instance may have taken it (a waitlist offer)
            corrected = source.activeHold(request.holdToFind()).compose(found -> onShard(l -> {
                found.filter(h -> l.hold(h.id()) == null).ifPresent(h -> {
                    if (!l.loadHold(h)) {
                        // another shard's site: not this shard's to keep; the request stays refused
                        LOG.info("shard {}: hold {} is of another shard's slot {}; not loaded", index, h.id(), h.slotId());
                    }
                });
                return null;
            }));
        } else {
            corrected = source.activeBookingOf(request.cardId()).compose(found -> onShard(l -> {
                ActiveBooking known = l.bookingOf(request.cardId());
                if (found.isPresent()) {
                    // not when a decision still being written cancelled it: memory would bring it back for good
                    if ((known == null || known.id() != found.get().id()) && !cancelPending(found.get().id())) {
                        l.loadBooking(found.get());
                    }
                } else if (known != null && !pendingFor(known)) {
                    l.forgetBooking(request.cardId());
                }
                return null;
            }));
        }
        corrected.onComplete(done -> loop.execute(() -> decide(request)));
    }

    /** True when a decision not yet answered (queued, or in the batch being written) cancels this booking. */
    private boolean cancelPending(long bookingId) {
        for (List<JournalEntry> list : List.of(inFlight, List.copyOf(entries))) {
            for (JournalEntry e : list) {
                if (e.decision() instanceof Decision.BookingCancelled c && c.booking().id() == bookingId) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean pendingFor(ActiveBooking booking) {
        if (writing) {
            return true; // a batch in flight may hold it; keep it
        }
        for (JournalEntry e : entries) {
            for (SeatChange c : e.decision().changes()) {
                if (c.slotId() == booking.slotId()) {
                    return true;
                }
            }
        }
        return false;
    }

    private void scheduleFlush() {
        if (!writing && !flushScheduled) {
            flushScheduled = true;
            // run after the tasks already queued on this context, so that they join the batch
            loop.execute(this::flush);
        }
    }

    private void flush() {
        flushScheduled = false;
        if (writing || entries.isEmpty()) {
            return;
        }
        // a batch holds one group: the halves of a failed batch are written apart
        int group = accepted.peek().group;
        List<SeatRequest> requests = new ArrayList<>();
        List<JournalEntry> batch = new ArrayList<>();
        while (batch.size() < settings.batchLimit() && !accepted.isEmpty() && accepted.peek().group == group) {
            requests.add(accepted.poll());
            batch.add(entries.poll());
        }
        writing = true;
        inFlight = batch;
        long started = System.nanoTime();
        Future<JournalOutcome> written;
        try {
            written = journal.write(batch);
        } catch (RuntimeException e) {
            written = Future.failedFuture(e); // a journal that throws must not leave the shard writing forever
        }
        written.onComplete(result -> loop.execute(() -> {
            inFlight = List.of();
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
            writing = false;
            if (!entries.isEmpty()) {
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
                forgetEndedElsewhere(d, refused.rejection());
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
                accepted.addFirst(requests.get(i));
                entries.addFirst(batch.get(i));
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
        List<SeatRequest> taken = new ArrayList<>();
        List<JournalEntry> undone = new ArrayList<>();
        if (cards.isEmpty()) {
            return taken;
        }
        ArrayDeque<SeatRequest> keptRequests = new ArrayDeque<>();
        ArrayDeque<JournalEntry> keptEntries = new ArrayDeque<>();
        while (!accepted.isEmpty()) {
            SeatRequest r = accepted.poll();
            JournalEntry e = entries.poll();
            if (cards.contains(r.cardId())) {
                taken.add(r);
                undone.add(e);
            } else {
                keptRequests.add(r);
                keptEntries.add(e);
            }
        }
        accepted.addAll(keptRequests);
        entries.addAll(keptEntries);
        for (int i = undone.size() - 1; i >= 0; i--) {
            ledger.undo(undone.get(i).decision());
        }
        return taken;
    }

    /** After a rejection, memory follows the database: what ended elsewhere is forgotten. */
    private void forgetEndedElsewhere(Decision d, Rejection rejection) {
        if (d instanceof Decision.HoldConfirmed) {
            ledger.forgetHold(((Decision.HoldConfirmed) d).hold().id());
        } else if (d instanceof Decision.HoldMovedInto) {
            Decision.HoldMovedInto m = (Decision.HoldMovedInto) d;
            if (rejection.refusal() == Refusal.HOLD_EXPIRED) {
                ledger.forgetHold(m.hold().id());
            } else if (rejection.refusal() == Refusal.NOT_FOUND) {
                ledger.forgetBooking(m.from().cardId());
            }
        } else if (d instanceof Decision.HoldReleased) {
            ledger.forgetHold(((Decision.HoldReleased) d).hold().id());
        } else if (d instanceof Decision.BookingCancelled || d instanceof Decision.BookingMoved) {
            ActiveBooking b = d instanceof Decision.BookingCancelled
                    ? ((Decision.BookingCancelled) d).booking() : ((Decision.BookingMoved) d).from();
            if (rejection.refusal() == Refusal.NOT_FOUND) {
                ledger.forgetBooking(b.cardId());
            }
        }
        if (rejection.existing() != null) {
            ledger.loadBooking(rejection.existing());
        }
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
        List<SeatRequest> behind = new ArrayList<>(accepted);
        List<JournalEntry> queued = new ArrayList<>(entries);
        accepted.clear();
        entries.clear();
        for (int i = queued.size() - 1; i >= 0; i--) {
            ledger.undo(queued.get(i).decision());
        }
        for (int i = batch.size() - 1; i >= 0; i--) {
            // a lost connection may have lost only the answer: readers keep the batch's seats counted until read again
            ledger.undo(batch.get(i).decision(), unreachable);
        }
        if (unreachable) {
            doubts++;
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
        Promise<List<Future<Settled>>> started = Promise.promise();
        loop.execute(() -> started.complete(expireHolds()));
        return started.future().compose(list -> Future.join(new ArrayList<>(list)).map(x -> list.size()));
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
        long seen = doubts;
        // by the service's clock, which set every expiry (the database's may differ from it)
        source.expireAbandonedHolds(clock.instant(), settings.abandonedHoldGrace())
                .compose(changed -> source.slots(Set.copyOf(siteIds), clock.instant()).map(rows -> {
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

    /** Site ids this shard serves. */
    Set<String> siteIds() {
        return new HashSet<>(siteIds);
    }
}
