package madoguchi.app.booking;

import madoguchi.domain.ActiveBooking;
import madoguchi.domain.SeatLedger;

import java.util.Optional;

/** What a piece of {@link SeatNews} does to a shard's memory (shard thread only). */
final class NewsOnLedger {
    private NewsOnLedger() {
    }

    @SuppressWarnings("unchecked")
    static <T> T apply(SeatNews<T> news, SeatLedger ledger) {
        if (news instanceof SeatNews.BookingEnded e) {
            return (T) Boolean.valueOf(ledger.ended(e.cardId(), e.code()));
        } else if (news instanceof SeatNews.BookingDisplaced d) {
            return (T) Boolean.valueOf(displaced(d, ledger));
        } else if (news instanceof SeatNews.LimitsComing c) {
            ledger.narrow(c.slotIds(), c.next());
            return (T) Boolean.TRUE;
        } else if (news instanceof SeatNews.LimitsSettled c) {
            ledger.narrowed(c.slotIds());
            return (T) Boolean.TRUE;
        } else {
            return (T) Optional.ofNullable(ledger.bookingOf(((SeatNews.BookingOf) news).cardId()));
        }
    }

    private static boolean displaced(SeatNews.BookingDisplaced d, SeatLedger ledger) {
        ActiveBooking known = ledger.bookingOf(d.cardId());
        if (known == null || !known.code().equals(d.code())) {
            return false;
        }
        if (d.cancelled()) {
            ledger.forgetBooking(d.cardId());
        } else {
            ledger.loadBooking(known.asOverride("capacity reduced"));
        }
        return true;
    }
}
