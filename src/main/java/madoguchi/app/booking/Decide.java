package madoguchi.app.booking;

import madoguchi.domain.ActiveBooking;
import madoguchi.domain.BookingCode;
import madoguchi.domain.Hold;
import madoguchi.domain.Refusal;
import madoguchi.domain.SeatLedger;
import madoguchi.domain.Verdict;

import java.util.UUID;

/** How a shard decides each {@link SeatCommand} on its ledger (on the shard's thread). */
final class Decide {
    private final BookingCode codes;

    Decide(BookingCode codes) {
        this.codes = codes;
    }

    Verdict on(SeatCommand command, SeatLedger ledger, SeatRequest.ShardClock clock) {
        if (command instanceof SeatCommand.TakeHold c) {
            return ledger.hold(new Hold(UUID.randomUUID(), c.cardId(), c.slotId(), c.channel(), clock.now().plus(c.holdFor())));
        } else if (command instanceof SeatCommand.HoldOffer c) {
            return ledger.holdForMove(new Hold(UUID.randomUUID(), c.cardId(), c.slotId(), c.channel(), c.expiresAt()), clock.now());
        } else if (command instanceof SeatCommand.Confirm c) {
            long id = clock.nextBookingId();
            return id < 0 ? Refusal.UNAVAILABLE : ledger.confirm(c.holdId(), c.cardId(), id, codes.of(id), c.bookedBy(), clock.now());
        } else if (command instanceof SeatCommand.TakeOffer c) {
            if (ledger.bookingOf(c.cardId()) != null) {
                return ledger.confirmHoldAsMove(c.holdId(), c.cardId(), clock.now());
            }
            long id = clock.nextBookingId();
            return id < 0 ? Refusal.UNAVAILABLE : ledger.confirm(c.holdId(), c.cardId(), id, codes.of(id), c.bookedBy(), clock.now());
        } else if (command instanceof SeatCommand.Release c) {
            return ledger.release(c.holdId(), c.cardId());
        } else if (command instanceof SeatCommand.Book c) {
            long id = clock.nextBookingId();
            return id < 0 ? Refusal.UNAVAILABLE : ledger.book(new ActiveBooking(id, codes.of(id), c.cardId(), c.slotId(),
                    c.channel(), c.override(), c.reason(), c.bookedBy()));
        } else if (command instanceof SeatCommand.Cancel c) {
            return ledger.cancel(c.cardId(), c.code(), c.reason());
        } else if (command instanceof SeatCommand.Reschedule c) {
            return ledger.reschedule(c.cardId(), c.code(), c.slotId(), c.channel(), c.override(), c.reason());
        } else {
            return ledger.expire(((SeatCommand.Expire) command).holdId());
        }
    }
}
