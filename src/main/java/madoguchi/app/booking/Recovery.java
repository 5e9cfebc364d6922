package madoguchi.app.booking;

import io.vertx.core.Future;
import madoguchi.domain.ActiveBooking;
import madoguchi.domain.Decision;
import madoguchi.domain.Refusal;
import madoguchi.domain.SeatLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;

/**
 * Memory following the database where another instance changed what a shard knows: a card's
 * booking or hold made or ended elsewhere. Shard thread only, but for the reads it asks for.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final int index;
    private final SeatSource source;
    private final SeatLedger ledger;
    private final Pending pending;
    private final Executor loop;

    Recovery(int index, SeatSource source, SeatLedger ledger, Pending pending, Executor loop) {
        this.index = index;
        this.source = source;
        this.ledger = ledger;
        this.pending = pending;
        this.loop = loop;
    }

    /** True when memory refused for want of a card's booking or hold, or because of one, that the database may know better. */
    static boolean mayHelp(Refusal refusal, SeatRequest request) {
        return refusal == Refusal.ALREADY_BOOKED
                || refusal == Refusal.HOLD_EXPIRED && request.holdToFind() != null
                || refusal == Refusal.NOT_FOUND && (request.command.needsBooking() || request.holdToFind() != null);
    }

    /**
     * Another instance may have made or ended the booking or hold the refusal is about: asks the
     * database once, corrects memory, then runs {@code then} (deciding again) on the shard's thread.
     */
    void recover(Refusal refusal, SeatRequest request, Runnable then) {
        Future<Void> corrected;
        if (refusal == Refusal.HOLD_EXPIRED || refusal == Refusal.NOT_FOUND && !request.command.needsBooking()) {
            // a hold this shard does not know: another instance may have taken it (a waitlist offer)
            corrected = source.activeHold(request.holdToFind()).compose(found -> onLoop(() ->
                    found.filter(h -> ledger.hold(h.id()) == null).ifPresent(h -> {
                        if (!ledger.loadHold(h)) {
                            // another shard's site: not this shard's to keep; the request stays refused
                            LOG.info("shard {}: hold {} is of another shard's slot {}; not loaded", index, h.id(), h.slotId());
                        }
                    })));
        } else {
            corrected = source.activeBookingOf(request.cardId()).compose(found -> onLoop(() -> {
                ActiveBooking known = ledger.bookingOf(request.cardId());
                if (found.isPresent()) {
                    // not when a decision still being written cancelled it: memory would bring it back for good
                    if ((known == null || known.id() != found.get().id()) && !pending.cancels(found.get().id())) {
                        ledger.loadBooking(found.get());
                    }
                } else if (known != null && !pending.mayChange(known.slotId())) {
                    ledger.forgetBooking(request.cardId());
                }
            }));
        }
        corrected.onComplete(done -> loop.execute(then));
    }

    /** After the database rejected a decision (already undone), memory follows it: what ended elsewhere is forgotten. */
    static void rejected(SeatLedger ledger, Decision d, Rejection rejection) {
        if (d instanceof Decision.HoldConfirmed c) {
            ledger.forgetHold(c.hold().id());
        } else if (d instanceof Decision.HoldMovedInto m) {
            if (rejection.refusal() == Refusal.HOLD_EXPIRED) {
                ledger.forgetHold(m.hold().id());
            } else if (rejection.refusal() == Refusal.NOT_FOUND) {
                ledger.forgetBooking(m.from().cardId());
            }
        } else if (d instanceof Decision.HoldReleased r) {
            ledger.forgetHold(r.hold().id());
        } else if (d instanceof Decision.BookingCancelled || d instanceof Decision.BookingMoved) {
            ActiveBooking b = d instanceof Decision.BookingCancelled c ? c.booking() : ((Decision.BookingMoved) d).from();
            if (rejection.refusal() == Refusal.NOT_FOUND) {
                ledger.forgetBooking(b.cardId());
            }
        }
        if (rejection.existing() != null) {
            ledger.loadBooking(rejection.existing());
        }
    }

    private Future<Void> onLoop(Runnable correction) {
        return OnShard.call(loop, () -> {
            correction.run();
            return null;
        });
    }
}
