package madoguchi.app.waitlist;

import madoguchi.app.AuditEntry;
import madoguchi.app.booking.Allocator;
import madoguchi.app.booking.SeatNews;
import madoguchi.app.booking.BookingDesk;
import madoguchi.app.booking.CardRef;
import madoguchi.app.cards.CardStore;
import madoguchi.app.booking.Settled;
import madoguchi.app.sites.Sites;
import madoguchi.app.sms.SmsOutbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.CardState;
import madoguchi.domain.Channel;
import madoguchi.domain.Decision;
import madoguchi.domain.Refusal;
import madoguchi.domain.Site;
import madoguchi.domain.SlotSeats;
import madoguchi.domain.SmsCommand;
import madoguchi.domain.TextKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The waitlist: residents ask for an earlier date at their site; when a seat in their range is
 * free, the first on the list (oldest entry) is offered it — the seat held for the card for
 * {@code offerFor}, an SMS sent — and takes it by SMS reply or on the web. An offer not taken in
 * time ends ('expired', not made again) and the seat passes to the next entry.
 *
 * <p>No offer is made between 21:00 and 08:00 Tokyo, when its text may not go (the outbox's rule
 * for {@link TextKind#WAITLIST_OFFER}): a seat freed at night is offered from 08:00.
 *
 * <p>Passes run one at a time (a periodic tick, and whenever a seat was given back); free seats
 * are looked up in the allocator's memory, never with a query per slot.
 */
public final class Waitlist {
    private static final Logger LOG = LoggerFactory.getLogger(Waitlist.class);
    private static final DateTimeFormatter JA = DateTimeFormatter.ofPattern("M月d日(E) H:mm", Locale.JAPANESE);
    private static final DateTimeFormatter EN = DateTimeFormatter.ofPattern("EEE d MMM H:mm", Locale.ENGLISH);
    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("H:mm");
    private static final int PASS_LIMIT = 5000;

    /** Why a waitlist request was not carried out; its words (and the API's error code) are in app/Words. */
    public enum Problem {
        OUTSIDE_WINDOW, NOT_EARLIER, CARD_NOT_READY, OFFER_PENDING, NOT_WAITING, NO_OFFER, OFFER_EXPIRED;

        public madoguchi.app.Words words() {
            return madoguchi.app.Words.valueOf(name());
        }
    }

    /** An entry as now, or why not; an accepted offer also carries the booking decision. */
    public record Answer(WaitlistStore.Entry entry, Problem problem, Settled settled) {
        static Answer of(WaitlistStore.Entry e) {
            return new Answer(e, null, null);
        }

        static Answer refused(Problem p) {
            return new Answer(null, p, null);
        }
    }

    private final WaitlistStore store;
    private final CardStore cards;
    private final BookingDesk desk;
    /** The per-card change limit: a resident taking an offer is a change like any other. */
    private final madoguchi.app.booking.BookingChanges changes;
    private final Allocator allocator;
    private final Sites sites;
    private final SmsOutbox sms;
    private final Clock clock;
    private final Duration offerFor;
    private final Counter made;
    private final Counter accepted;
    private final Counter expired;
    private Future<Integer> running = Future.succeededFuture(0);
    private Promise<Integer> queued;

    public Waitlist(WaitlistStore store, CardStore cards, BookingDesk desk, madoguchi.app.booking.BookingChanges changes,
                    Allocator allocator, Sites sites, SmsOutbox sms, Clock clock, Duration offerFor, MeterRegistry registry) {
        this.changes = changes;
        this.store = store;
        this.cards = cards;
        this.desk = desk;
        this.allocator = allocator;
        this.sites = sites;
        this.sms = sms;
        this.clock = clock;
        this.offerFor = offerFor;
        this.made = offers(registry, "made");
        this.accepted = offers(registry, "accepted");
        this.expired = offers(registry, "expired");
    }

    private static Counter offers(MeterRegistry registry, String outcome) {
        return Counter.builder("madoguchi.waitlist.offers").tag("outcome", outcome)
                .description("Seats offered from the waitlist, by what became of the offer").register(registry);
    }

    public Duration offerFor() {
        return offerFor;
    }

    /** Puts the card on its site's waitlist for [from, to], or replaces the range it asked for before. */
    public Future<Answer> join(CardRef card, LocalDate from, LocalDate to, Channel channel, String by) {
        return join(card, from, to, channel, by, null);
    }

    /** As above, for staff: {@code audit} is written with the change, or nothing is. */
    public Future<Answer> join(CardRef card, LocalDate from, LocalDate to, Channel channel, String by, AuditEntry audit) {
        Site site = sites.get(card.siteId());
        Instant now = clock.instant();
        LocalDate today = now.atZone(BookingWindow.TOKYO).toLocalDate();
        LocalDate first = channel == Channel.OPERATOR ? today : today.plusDays(1);
        LocalDate last = site == null ? today : today.plusDays(site.window().horizonDays());
        if (site == null || site.walkIn() || to.isBefore(first) || from.isAfter(last)) {
            return Future.succeededFuture(Answer.refused(Problem.OUTSIDE_WINDOW));
        }
        return cards.byId(card.cardId()).compose(found -> {
            if (found.isEmpty() || found.get().state() != CardState.READY) {
                return Future.succeededFuture(Answer.refused(Problem.CARD_NOT_READY));
            }
            return bookingStart(card).compose(start -> {
                if (start.isPresent() && from.isAfter(start.get().atZone(BookingWindow.TOKYO).toLocalDate())) {
                    return Future.succeededFuture(Answer.refused(Problem.NOT_EARLIER));
                }
                return store.join(card.cardId(), card.siteId(), from, to, channel, now, by, audit).map(e -> {
                    if ("offered".equals(e.state())) {
                        return Answer.refused(Problem.OFFER_PENDING);
                    }
                    seatMayBeFree(); // a seat may already be free in the new range
                    return Answer.of(e);
                });
            });
        });
    }

    /** The card's newest entry (with its live offer, if any). */
    public Future<Optional<WaitlistStore.Entry>> entryOf(long cardId) {
        return store.latestOf(cardId);
    }

    public Future<Integer> ahead(WaitlistStore.Entry entry) {
        return store.ahead(entry);
    }

    public Future<List<WaitlistStore.Entry>> ofSite(String siteId) {
        return store.ofSite(siteId, 1000);
    }

    /** Takes the card off the list; a seat held for it is given back (and offered to the next). */
    public Future<Answer> leave(CardRef card) {
        return leave(card, null);
    }

    /** As above, for staff: {@code audit} is written with the change, or nothing is. */
    public Future<Answer> leave(CardRef card, AuditEntry audit) {
        return store.leave(card.cardId(), clock.instant(), audit).compose(left -> {
            if (left.isEmpty()) {
                return Future.succeededFuture(Answer.refused(Problem.NOT_WAITING));
            }
            if (left.get().holdId() == null || left.get().expiresAt() == null) {
                return Future.succeededFuture(Answer.of(left.get()));
            }
            return desk.release(card, left.get().holdId()).map(done -> {
                seatMayBeFree();
                return Answer.of(left.get());
            });
        });
    }

    /**
     * The resident takes the seat offered: a new booking, or their booking moved into it.
     * Past its time the answer is {@link Problem#OFFER_EXPIRED}.
     */
    public Future<Answer> accept(CardRef card, String by) {
        return accept(card, by, null);
    }

    /**
     * As above; for staff ({@code audit} not null) the booking decision and the audit entry are
     * committed together, and the resident's change limit does not apply (the call center is
     * where a resident who reached it is sent).
     */
    public Future<Answer> accept(CardRef card, String by, java.util.function.Function<madoguchi.domain.Decision, AuditEntry> audit) {
        Instant now = clock.instant();
        return store.latestOf(card.cardId()).compose(found -> {
            if (found.isEmpty() || "waiting".equals(found.get().state()) || "cancelled".equals(found.get().state())) {
                return Future.succeededFuture(Answer.refused(Problem.NO_OFFER));
            }
            WaitlistStore.Entry e = found.get();
            if ("expired".equals(e.state()) && e.holdId() != null) {
                return Future.succeededFuture(Answer.refused(Problem.OFFER_EXPIRED));
            }
            if (!"offered".equals(e.state())) {
                return Future.succeededFuture(Answer.refused(Problem.NO_OFFER));
            }
            if (!now.isBefore(e.expiresAt())) {
                return Future.succeededFuture(Answer.refused(Problem.OFFER_EXPIRED));
            }
            Future<Instant> limit = audit == null ? changes.limitedUntil(card) : Future.succeededFuture();
            return limit.compose(limited -> limited != null ? Future.succeededFuture(new Answer(e, null, Settled.limited(limited)))
                    : take(card, e, by, audit, now));
        });
    }

    /** Takes the offered seat; a resident's own acceptance counts as one change of their booking. */
    private Future<Answer> take(CardRef card, WaitlistStore.Entry e, String by,
                                java.util.function.Function<madoguchi.domain.Decision, AuditEntry> audit, Instant now) {
        return desk.takeOffer(card, e.holdId(), by, audit).compose(settled -> {
            if (settled.refusal() == Refusal.HOLD_EXPIRED || settled.refusal() == Refusal.ALREADY_BOOKED) {
                return takenAlready(card, e).compose(taken -> taken
                        // a second accept (a double click, a second YES) of an offer just taken
                        ? Future.succeededFuture(Answer.refused(Problem.NO_OFFER))
                        : ended(e, now, settled));
            }
            if (!settled.ok()) {
                return Future.succeededFuture(new Answer(e, null, settled));
            }
            accepted.increment();
            Future<Void> counted = audit == null ? changes.count(card) : Future.succeededFuture();
            return counted.compose(c -> store.accepted(e.id(), now)).map(v -> new Answer(e, null, settled));
        });
    }

    private Future<Boolean> takenAlready(CardRef card, WaitlistStore.Entry e) {
        return allocator.tell(card.siteId(), new SeatNews.BookingOf(card.cardId()))
                .map(b -> b.isPresent() && e.slotId() != null && b.get().slotId() == e.slotId());
    }

    /** The offer's hold is gone before its time (released elsewhere): the offer ends with it. */
    private Future<Answer> ended(WaitlistStore.Entry e, Instant now, Settled settled) {
        if (settled.refusal() != Refusal.HOLD_EXPIRED) {
            return Future.succeededFuture(new Answer(e, null, settled));
        }
        return store.expire(e.id(), now).map(ended -> {
            if (ended) {
                expired.increment();
                seatMayBeFree();
            }
            return Answer.refused(Problem.OFFER_EXPIRED);
        });
    }

    /** An SMS "YES" from {@code phone}: the live offer to the card with that number, taken. */
    public Future<Answer> acceptByPhone(String phone) {
        return store.offeredTo(phone).compose(found -> found.isEmpty()
                ? Future.succeededFuture(Answer.refused(Problem.NO_OFFER))
                : accept(new CardRef(found.get().cardId(), found.get().siteId()), "resident"));
    }

    /** A seat may have been given back: a pass runs soon (several such calls make one pass). */
    public void seatMayBeFree() {
        tick().onFailure(e -> LOG.warn("waitlist pass failed: {}", e.toString()));
    }

    /**
     * One pass over the list, after the one running now: offers whose time is up end, then each
     * waiting entry, oldest first, is offered the earliest free seat in its range. Completes with
     * how many offers were made.
     */
    public synchronized Future<Integer> tick() {
        if (queued != null) {
            return queued.future();
        }
        Promise<Integer> next = Promise.promise();
        queued = next;
        Future<Integer> before = running;
        running = next.future();
        before.onComplete(x -> {
            synchronized (this) {
                if (queued == next) {
                    queued = null;
                }
            }
            Future<Integer> pass;
            try {
                pass = pass();
            } catch (RuntimeException e) {
                pass = Future.failedFuture(e);
            }
            pass.onComplete(next);
        });
        return next.future();
    }

    private Future<Integer> pass() {
        Instant now = clock.instant();
        LocalDate today = now.atZone(BookingWindow.TOKYO).toLocalDate();
        // offers whose time is up end first, their holds released, so the seat is free for the next
        return store.dueOffers(now)
                .compose(due -> {
                    Future<Void> chain = Future.succeededFuture();
                    for (WaitlistStore.Entry e : due) {
                        chain = chain.compose(v -> expire(e, now));
                    }
                    return chain;
                })
                .compose(v -> store.endPassed(today, now))
                // at night no seat is offered (nor held for someone asleep): it stays free for
                // anyone, and the first pass from 08:00 offers what is still free then
                .compose(v -> sms.goesNow(TextKind.WAITLIST_OFFER) ? store.waiting(PASS_LIMIT) : Future.succeededFuture(List.<WaitlistStore.Entry>of()))
                .compose(list -> {
                    Future<Integer> chain = Future.succeededFuture(0);
                    for (WaitlistStore.Entry e : list) {
                        chain = chain.compose(n -> offer(e, now).map(ok -> ok ? n + 1 : n));
                    }
                    return chain;
                });
    }

    private Future<Void> expire(WaitlistStore.Entry e, Instant now) {
        return store.expire(e.id(), now).compose(ended -> {
            if (!ended) {
                return Future.succeededFuture();
            }
            expired.increment();
            // the allocator ends the hold at the same moment; a release makes sure of it
            return desk.release(new CardRef(e.cardId(), e.siteId()), e.holdId()).<Void>mapEmpty()
                    .recover(x -> Future.succeededFuture());
        });
    }

    /** Offers the entry the earliest free seat in its range, if there is one; true when offered. */
    private Future<Boolean> offer(WaitlistStore.Entry e, Instant now) {
        Site site = sites.get(e.siteId());
        if (site == null) {
            return Future.succeededFuture(false);
        }
        if (!sms.goesNow(TextKind.WAITLIST_OFFER)) {
            return Future.succeededFuture(false); // the night began during this pass
        }
        CardRef card = new CardRef(e.cardId(), e.siteId());
        return bookingStart(card).compose(bookedAt -> {
            SlotSeats free = firstFree(site, e, bookedAt.orElse(null), now);
            if (free == null) {
                return Future.succeededFuture(false);
            }
            // never held past the slot's start, however long offers are set to last
            Instant until = now.plus(offerFor).isBefore(free.start()) ? now.plus(offerFor) : free.start();
            return desk.holdOffer(card, free.id(), e.channel(), until).compose(settled -> {
                if (settled.refusal() == Refusal.CARD_NOT_READY) {
                    return store.cancel(e.id(), now).map(false);
                }
                if (!settled.ok()) {
                    return Future.succeededFuture(false);
                }
                var hold = ((Decision.HoldTaken) settled.decision()).hold();
                return store.offered(e.id(), hold.id(), free.id(), until, now).compose(stored -> {
                    if (!stored) {
                        // the resident left meanwhile: the seat goes back
                        return desk.release(card, hold.id()).map(false);
                    }
                    made.increment();
                    return tell(e, site, free, until).map(true);
                });
            });
        }).recover(x -> {
            LOG.warn("waitlist entry {} not offered: {}", e.id(), x.toString());
            return Future.succeededFuture(false);
        });
    }

    /** The earliest slot of the entry's range with a seat on its channel, before the card's booking. */
    private SlotSeats firstFree(Site site, WaitlistStore.Entry e, Instant bookedAt, Instant now) {
        Instant from = e.from().atStartOfDay(BookingWindow.TOKYO).toInstant();
        Instant to = e.to().plusDays(1).atStartOfDay(BookingWindow.TOKYO).toInstant();
        BookingWindow.Open open = site.window().at(now, e.channel());
        for (SlotSeats s : allocator.slots(site.id(), from, to)) {
            if (bookedAt != null && !s.start().isBefore(bookedAt)) {
                break;
            }
            if (open.allows(s.start()) && s.remaining(e.channel()) > 0) {
                return s;
            }
        }
        return null;
    }

    /** The offer by SMS (Japanese, then English), when the card has a number that takes SMS. */
    private Future<Void> tell(WaitlistStore.Entry e, Site site, SlotSeats slot, Instant until) {
        return cards.byId(e.cardId()).compose(card -> {
            String phone = card.map(c -> SmsCommand.e164(c.phone())).orElse(null);
            if (!SmsCommand.mobile(phone)) {
                return Future.succeededFuture();
            }
            return sms.sendAndTell(TextKind.WAITLIST_OFFER, phone, offerText(site, slot.start(), until))
                    .compose(kept -> kept.id() < 0 ? Future.succeededFuture() : store.smsQueued(e.id(), kept.id()));
        }).recover(x -> {
            LOG.warn("waitlist offer {} not sent by SMS: {}", e.id(), x.toString());
            return Future.succeededFuture();
        });
    }

    static String offerText(Site site, Instant start, Instant until) {
        ZonedDateTime at = start.atZone(BookingWindow.TOKYO);
        String by = HM.format(until.atZone(BookingWindow.TOKYO));
        return "【マイナンバーカード受取】キャンセル待ちの枠が空きました: " + JA.format(at) + " " + site.nameJa()
                + "。" + by + "までお取りしています。予約するには「はい」と返信するか、ウェブでお受けください。\n"
                + "A seat you waited for is free: " + EN.format(at) + " at " + site.nameEn()
                + ". It is held for you until " + by + ". Reply YES to take it, or accept it on the web.";
    }

    private Future<Optional<Instant>> bookingStart(CardRef card) {
        return allocator.tell(card.siteId(), new SeatNews.BookingOf(card.cardId())).map(b -> {
            SlotSeats s = b.map(booking -> allocator.slot(booking.slotId())).orElse(null);
            return s == null ? Optional.<Instant>empty() : Optional.of(s.start());
        });
    }
}
