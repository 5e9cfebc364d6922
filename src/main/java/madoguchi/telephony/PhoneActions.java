package madoguchi.telephony;

import io.vertx.core.Future;
import madoguchi.app.booking.Allocator;
import madoguchi.app.Words;
import madoguchi.app.booking.BookingChanges;
import madoguchi.app.booking.BookingStore;
import madoguchi.app.booking.BookingView;
import madoguchi.app.cards.CardRecord;
import madoguchi.app.booking.CardRef;
import madoguchi.app.cards.CardStore;
import madoguchi.app.booking.Settled;
import madoguchi.app.sites.Sites;
import madoguchi.app.sms.SmsOutbox;
import madoguchi.app.verification.Verification;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.QuietHours;
import madoguchi.domain.CardState;
import madoguchi.domain.Channel;
import madoguchi.domain.Decision;
import madoguchi.domain.NoticeNumber;
import madoguchi.domain.Refusal;
import madoguchi.domain.Site;
import madoguchi.domain.SlotSeats;
import madoguchi.domain.SmsCommand;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The actions a phone flow may run: verify the caller, offer slots (holding the offered seat on the
 * phone channel), confirm, look up, cancel, reschedule, send the code by SMS. Each answers an
 * outcome name that the flow maps to its next state; an unreachable database fails the future.
 */
final class PhoneActions {
    private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;
    private static final int HOLD_TRIES = 5;

    /** What the actions need from the rest of the service. */
    record Needs(CardStore cards, BookingStore bookings, BookingChanges changes, Allocator allocator, Sites sites,
                 Verification verification, SmsOutbox sms, Clock clock,
                 madoguchi.app.waitlist.Waitlist waitlist, madoguchi.app.counter.WalkInHours walkInHours) {
    }

    private final Needs n;
    private final Flow flow;

    PhoneActions(Needs needs, Flow flow) {
        this.n = needs;
        this.flow = flow;
    }

    Future<String> run(Flow.State state, Call call) {
        if ("send_sms".equals(state.action())) {
            return sendSms(call, state.sms() == null ? "sms_booked" : state.sms());
        }
        return run(state.action(), call);
    }

    Future<String> run(String action, Call call) {
        switch (action) {
            case "verify":
                return verify(call);
            case "offer_first":
            case "offer_next":
            case "offer_next_day":
            case "offer_day":
            case "offer_part":
                return offer(call, action);
            case "confirm":
                return confirm(call);
            case "lookup":
                return lookup(call);
            case "cancel":
                return cancel(call);
            case "reschedule":
                return reschedule(call);
            case "send_sms":
                return sendSms(call, "sms_booked");
            case "waitlist_join":
                return joinWaitlist(call);
            default:
                return Future.failedFuture(new IllegalStateException("unknown action " + action));
        }
    }

    private Future<String> verify(Call call) {
        String notice = NoticeNumber.normalize(call.vars.get("notice"));
        LocalDate birth;
        try {
            birth = LocalDate.parse(call.vars.getOrDefault("birth", ""), YYYYMMDD);
        } catch (DateTimeParseException e) {
            birth = null;
        }
        // the limits (per calling number, per notice number, service-wide) are the app's
        return n.verification().byPhone(call.from, notice, birth).map(outcome -> {
            if (outcome instanceof Verification.Verified verified) {
                CardRecord card = verified.card();
                call.card = new CardRef(card.id(), card.siteId());
                return card.state() == CardState.READY ? "ok" : "not_ready";
            }
            // locked now, or by this failure: the caller hears what is locked and until when, then an operator
            Verification.Locked locked = outcome instanceof Verification.Locked l ? l : ((Verification.Failed) outcome).locked();
            if (locked != null) {
                call.lockedUntil = locked.until();
                call.told = Words.of(locked.what());
                call.outcome("locked");
                return "locked";
            }
            return "failed";
        });
    }

    private Future<String> offer(Call call, String which) {
        CardRef card = call.card;
        Site site = n.sites().get(card.siteId());
        if (site == null || site.walkIn()) {
            return Future.succeededFuture("none");
        }
        Instant now = n.clock().instant();
        Instant from = now;
        SlotSeats current = call.offeredSlot < 0 ? null : n.allocator().slot(call.offeredSlot);
        LocalDate asked = null;
        String part = null;
        if (current != null && which.equals("offer_next")) {
            from = current.start().plusNanos(1);
        } else if (current != null && which.equals("offer_next_day")) {
            from = current.start().atZone(BookingWindow.TOKYO).toLocalDate().plusDays(1)
                    .atStartOfDay(BookingWindow.TOKYO).toInstant();
        } else if (which.equals("offer_day") || which.equals("offer_part")) {
            LocalDate today = now.atZone(BookingWindow.TOKYO).toLocalDate();
            if (which.equals("offer_day")) {
                String day = call.vars.getOrDefault("day", "");
                asked = DayAsked.date(day, today);
                part = day.length() == 5 ? day.substring(4) : null;
            } else {
                asked = current != null ? current.start().atZone(BookingWindow.TOKYO).toLocalDate()
                        : call.slotStart != null ? call.slotStart.atZone(BookingWindow.TOKYO).toLocalDate() : today;
                part = call.vars.get("part");
            }
            if (asked == null || (part != null && !DayAsked.PARTS.contains(part))) {
                return Future.succeededFuture("invalid");
            }
            call.vars.put("askedDay", asked.format(YYYYMMDD));
            Instant dayStart = asked.atStartOfDay(BookingWindow.TOKYO).toInstant();
            from = dayStart.isAfter(now) ? dayStart : now;
        }
        String partAsked = part;
        LocalDate dayAsked = asked;
        List<SlotSeats> free = new ArrayList<>();
        BookingWindow.Open open = site.window().at(now, Channel.PHONE);
        for (SlotSeats s : n.allocator().slots(card.siteId(), from, now.plus(Duration.ofDays(70)))) {
            boolean mine = call.holdId != null && s.id() == call.offeredSlot;
            if ((s.remaining(Channel.PHONE) > 0 || mine) && open.allows(s.start())
                    && (partAsked == null || DayAsked.inPart(s.start(), partAsked))
                    && (call.code == null || call.vars.get("bookedSlot") == null || s.id() != Long.parseLong(call.vars.get("bookedSlot")))) {
                free.add(s);
                if (free.size() >= HOLD_TRIES) {
                    break;
                }
            }
        }
        Future<String> offered;
        if (call.code != null) {
            // rescheduling: the card keeps its booking while the caller decides, so nothing is held
            if (free.isEmpty()) {
                offered = Future.succeededFuture("none");
            } else {
                call.offeredSlot = free.get(0).id();
                call.slotStart = free.get(0).start();
                offered = Future.succeededFuture("offered");
            }
        } else {
            offered = hold(call, free, 0);
        }
        if (dayAsked == null) {
            return offered;
        }
        // nothing free on the day asked (in the part asked): the first free time after it is offered instead
        return offered.map(o -> "offered".equals(o) && !call.slotStart.atZone(BookingWindow.TOKYO).toLocalDate().equals(dayAsked)
                ? "later" : o);
    }

    private Future<String> hold(Call call, List<SlotSeats> free, int i) {
        if (i >= free.size()) {
            return Future.succeededFuture("none");
        }
        SlotSeats slot = free.get(i);
        if (call.holdId != null && slot.id() == call.offeredSlot) {
            // the seat this caller already holds (e.g. the day asked for starts with it): keep it, it is not taken
            call.slotStart = slot.start();
            return Future.succeededFuture("offered");
        }
        return n.changes().holdToOffer(call.card, slot.id(), Channel.PHONE).compose(settled -> {
            if (settled.ok() && settled.decision() instanceof Decision.HoldTaken) {
                call.holdId = ((Decision.HoldTaken) settled.decision()).hold().id();
                call.offeredSlot = slot.id();
                call.slotStart = slot.start();
                return Future.succeededFuture("offered");
            }
            Refusal r = settled.refusal();
            if (r == Refusal.ALREADY_BOOKED) {
                return Future.succeededFuture("already_booked");
            }
            if (r == Refusal.TOO_MANY_CHANGES) {
                return Future.succeededFuture(limited(call, settled));
            }
            if (r == Refusal.UNAVAILABLE || r == Refusal.BUSY) {
                return Future.failedFuture(new Unreachable(r.code()));
            }
            if (r == Refusal.SLOT_FULL || r == Refusal.SLOT_BLOCKED || r == Refusal.SLOT_NOT_BOOKABLE) {
                return hold(call, free, i + 1);
            }
            return Future.succeededFuture("none");
        });
    }

    private Future<String> confirm(Call call) {
        if (call.holdId == null) {
            return Future.succeededFuture("expired");
        }
        return n.changes().confirmOffered(call.card, call.holdId, "phone").compose(settled -> {
            failIfUnreachable(settled);
            if (settled.ok() && settled.decision() instanceof Decision.HoldConfirmed) {
                var booking = ((Decision.HoldConfirmed) settled.decision()).booking();
                call.holdId = null;
                call.code = booking.code();
                call.vars.put("bookedSlot", Long.toString(booking.slotId()));
                call.outcome("booked");
                return Future.succeededFuture("booked");
            }
            call.holdId = null;
            call.offeredSlot = -1;
            return Future.succeededFuture("expired");
        });
    }

    private Future<String> lookup(Call call) {
        return n.bookings().ofCard(call.card.cardId()).map(list -> {
            for (BookingView b : list) {
                if ("active".equals(b.status())) {
                    call.code = b.code();
                    call.slotStart = b.start();
                    call.vars.put("bookedSlot", Long.toString(b.slotId()));
                    return "found";
                }
            }
            return "none";
        });
    }

    /**
     * A caller with a booking asks to wait for an earlier date: on the waitlist of the card's
     * site from tomorrow up to the booking's day (phone channel); the offer comes by SMS.
     */
    private Future<String> joinWaitlist(Call call) {
        if (n.waitlist() == null || call.card == null || call.slotStart == null) {
            return Future.succeededFuture("none");
        }
        LocalDate from = n.clock().instant().atZone(BookingWindow.TOKYO).toLocalDate().plusDays(1);
        LocalDate to = call.slotStart.atZone(BookingWindow.TOKYO).toLocalDate();
        if (to.isBefore(from)) {
            return Future.succeededFuture("none");
        }
        // the offer goes out by SMS alone: a caller whose number cannot take one would wait in vain
        return n.cards().byId(call.card.cardId())
                .map(card -> card.isPresent() && SmsCommand.mobile(SmsCommand.e164(card.get().phone())))
                .compose(reachable -> !reachable ? Future.succeededFuture("no_sms")
                : n.waitlist().join(call.card, from, to, Channel.PHONE, "phone").map(answer -> {
            if (answer.problem() != null) {
                return "none";
            }
            call.outcome("waitlisted");
            return "joined";
        }));
    }

    private Future<String> cancel(Call call) {
        if (call.code == null) {
            return Future.succeededFuture("none");
        }
        return n.changes().cancel(call.card, call.code, "cancelled by the resident by phone").map(settled -> {
            failIfUnreachable(settled);
            if (settled.ok()) {
                call.outcome("cancelled");
                return "cancelled";
            }
            return "none";
        });
    }

    private Future<String> reschedule(Call call) {
        if (call.code == null || call.offeredSlot < 0) {
            return Future.succeededFuture("none");
        }
        return n.changes().reschedule(call.card, call.code, call.offeredSlot, Channel.PHONE, null).map(settled -> {
            failIfUnreachable(settled);
            if (settled.ok() && settled.decision() instanceof Decision.BookingMoved) {
                var to = ((Decision.BookingMoved) settled.decision()).to();
                call.code = to.code();
                call.vars.put("bookedSlot", Long.toString(to.slotId()));
                call.outcome("rescheduled");
                return "moved";
            }
            Refusal r = settled.refusal();
            call.offeredSlot = -1;
            if (r == Refusal.TOO_MANY_CHANGES) {
                return limited(call, settled);
            }
            return r == Refusal.NOT_FOUND ? "none" : "taken";
        });
    }

    /** The booking's code (or a cancellation) confirmed by SMS to the calling number, with the words of {@code prompt}. */
    Future<String> sendSms(Call call, String prompt) {
        if (n.sms() == null || call.code == null || !canTakeSms(call.from)) {
            return Future.succeededFuture("skipped");
        }
        String body = Prompts.fill(flow.prompt(call.language, prompt), call, n.sites(), n.clock(), false, null);
        // the outbox keeps it until the provider accepts it; the call does not wait for the provider.
        // A booking made or moved at night for tomorrow gets its reminder in this message, not at 08:00
        String withReminder = null;
        if (!"sms_cancelled".equals(prompt) && QuietHours.remindsWithConfirmation(n.clock().instant(), call.slotStart)) {
            Words.Language language = Words.Language.of(call.language);
            withReminder = body + (language == Words.Language.EN ? " " : "") + Words.SMS_REMINDER_INCLUDED.text(language, (String) null);
        }
        n.sms().sendConfirmation(call.code, call.from, body, withReminder);
        return Future.succeededFuture("sent");
    }

    /** Japanese mobile numbers (070, 080, 090) and any number outside Japan; not Japanese landlines. */
    static boolean canTakeSms(String phone) {
        if (phone == null || !phone.matches("\\+[1-9][0-9]{6,14}")) {
            return false;
        }
        return !phone.startsWith("+81") || phone.matches("\\+81[789]0[0-9]{8}");
    }

    /** The card's changes for the day are used up: the caller hears until when (and is put through). */
    private static String limited(Call call, Settled settled) {
        call.lockedUntil = settled.until();
        call.told = Words.TOO_MANY_CHANGES;
        call.outcome("limited");
        return "limited";
    }

    private static void failIfUnreachable(Settled settled) {
        if (settled.refusal() == Refusal.UNAVAILABLE || settled.refusal() == Refusal.BUSY) {
            throw new Unreachable(settled.refusal().code());
        }
    }
}
