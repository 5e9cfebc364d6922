package madoguchi.app.counter;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import madoguchi.app.Words;
import madoguchi.app.sms.SmsOutbox;
import madoguchi.app.staff.Principal;
import madoguchi.app.staff.StaffActions;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.TextKind;
import madoguchi.domain.WalkInWait;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A walk-in site (予約不要) serves residents without a booking: staff at the door give a ticket
 * (番号札) for a ready card kept at the site, counters call the next number, a number called
 * {@link #MAX_CALLS} times without its resident is a no-show. A resident who left a mobile number
 * is texted when their turn is near and when they are called. The day's tickets are capped by the
 * site's capacity that day (the seats of its slots), which administrators tune like any site's.
 */
public final class WalkIn {
    /** Calls of one number before it is a no-show. */
    public static final int MAX_CALLS = 3;

    private final WalkInStore store;
    private final SmsOutbox sms;
    private final Clock clock;

    public WalkIn(WalkInStore store, SmsOutbox sms, Clock clock) {
        this.store = store;
        this.sms = sms;
        this.clock = clock;
    }

    /** A ticket for the card at the site; {@code birthDate} (optional) checks the card at the door, {@code phone} (optional) is for SMS. */
    public Future<WalkInStore.TakeResult> take(Principal who, String siteId, String noticeNumber, LocalDate birthDate, String phone,
                                               Words.Language language) {
        Instant now = clock.instant();
        LocalDate today = today(now);
        return StaffActions.recorded(store.take(siteId, today, start(today), start(today.plusDays(1)), noticeNumber, birthDate, phone,
                language.tag(), who.name(), now, t -> StaffActions.entry(who, "walkin.ticket", "site:" + siteId, null,
                        new JsonObject().put("number", t.number()).put("noticeNumber", noticeNumber).put("sms", phone != null), null)));
    }

    /** Calls the lowest waiting number to this counter; texts the called resident and those whose turn is now near. */
    public Future<WalkInStore.CallResult> callNext(Principal who, String siteId, int counter) {
        Instant now = clock.instant();
        return StaffActions.recorded(store.callNext(siteId, today(now), counter, who.name(), now,
                t -> StaffActions.entry(who, "walkin.call", "site:" + siteId, null,
                        new JsonObject().put("number", t.number()).put("counter", counter), null)))
                .compose(this::tell);
    }

    /** Calls a called number again; the call after the last one makes it a no-show. */
    public Future<WalkInStore.CallResult> callAgain(Principal who, String siteId, int number, int counter) {
        Instant now = clock.instant();
        return StaffActions.recorded(store.callAgain(siteId, today(now), number, counter, MAX_CALLS, who.name(), now,
                t -> StaffActions.entry(who, "called".equals(t.state()) ? "walkin.call_again" : "walkin.no_show", "site:" + siteId, null,
                        new JsonObject().put("number", t.number()).put("counter", counter).put("calls", t.calls()), null)))
                .compose(this::tell);
    }

    /** The board of the site today. */
    public Future<WalkInStore.Board> board(String siteId) {
        Instant now = clock.instant();
        return store.board(siteId, today(now), now);
    }

    /** Minutes a resident with {@code ahead} people before them can expect to wait, at today's pace. */
    public static long expectedWait(WalkInStore.Board board, int ahead) {
        return WalkInWait.minutes(ahead, board.served(), board.servedTime(), board.counters());
    }

    private Future<WalkInStore.CallResult> tell(WalkInStore.CallResult result) {
        if (result instanceof WalkInStore.Called called) {
            WalkInStore.Ticket t = called.ticket();
            if (t.phone() != null) {
                text(t.phone(), Words.TICKET_CALLED, t.language(), t.number(), 0, t.counter());
            }
            for (WalkInStore.Near near : called.near()) {
                text(near.phone(), Words.TICKET_NEAR, near.language(), near.number(), near.ahead(), 0);
            }
        }
        return Future.succeededFuture(result);
    }

    /** The text waits in the outbox until the provider took it; the answer to staff does not wait for it. */
    private void text(String phone, Words words, String language, int number, int ahead, Integer counter) {
        String body = words.template(Words.Language.of(language)).replace("{number}", Integer.toString(number))
                .replace("{ahead}", Integer.toString(ahead)).replace("{counter}", String.valueOf(counter));
        // the resident stands at the counter waiting for it: it goes whatever the hour
        sms.send(TextKind.COUNTER_CALL, phone, body);
    }

    private static LocalDate today(Instant now) {
        return LocalDate.ofInstant(now, BookingWindow.TOKYO);
    }

    private static Instant start(LocalDate day) {
        return day.atStartOfDay(BookingWindow.TOKYO).toInstant();
    }
}
