package madoguchi.app.counter;

import io.vertx.core.Future;
import madoguchi.app.AuditEntry;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;

/**
 * The numbered tickets (番号札) of walk-in sites. Numbers are handed out under a lock on the
 * site's day, in the transaction that writes the ticket: no two residents get one number, and a
 * ticket that was answered is written (a restart loses none). Every change announces the site so
 * that boards on any instance update ({@link BoardNews}).
 */
public interface WalkInStore {

    record Ticket(long id, String siteId, LocalDate day, int number, String noticeNumber, String phone, String language,
                  String state, int calls, Integer counter, Instant takenAt, Instant calledAt) {
    }

    /** A ticket given, with the number of people waiting before it. */
    record Taken(Ticket ticket, int ahead) implements TakeResult {
    }

    /** No ticket: {@code code} says why (not_found, wrong_site, card_not_ready, verification_failed, already_waiting, site_closed, tickets_gone). */
    record TakeRefused(String code, Ticket existing) implements TakeResult {
    }

    sealed interface TakeResult permits Taken, TakeRefused {
    }

    /** A ticket called to a counter, and the waiting residents whose number is now near (to be told by SMS). */
    record Called(Ticket ticket, List<Near> near) implements CallResult {
    }

    /** A ticket called too often without its resident: a no-show. */
    record NoShow(Ticket ticket) implements CallResult {
    }

    /** Nobody waits (call next), or no such called ticket (call again). */
    record NoneWaiting() implements CallResult {
    }

    sealed interface CallResult permits Called, NoShow, NoneWaiting {
    }

    /** A waiting resident with a mobile number whose turn is near: {@code ahead} people before them. */
    record Near(int number, String phone, String language, int ahead) {
    }

    /** What the board shows: the numbers called (latest first), how many wait, today's pace. */
    record Board(String siteId, List<Ticket> called, int waiting, int served, Duration servedTime, int counters) {
    }

    /** Gives the card a ticket at the site; the birth date, when given, must match the card. */
    Future<TakeResult> take(String siteId, LocalDate day, Instant from, Instant to, String noticeNumber, LocalDate birthDate,
                            String phone, String language, String actor, Instant at, Function<Ticket, AuditEntry> audit);

    /** Calls the lowest waiting number to the counter. */
    Future<CallResult> callNext(String siteId, LocalDate day, int counter, String actor, Instant at, Function<Ticket, AuditEntry> audit);

    /** Calls a called ticket again; after {@code maxCalls} calls it becomes a no-show instead. */
    Future<CallResult> callAgain(String siteId, LocalDate day, int number, int counter, int maxCalls, String actor, Instant at,
                                 Function<Ticket, AuditEntry> audit);

    Future<Board> board(String siteId, LocalDate day, Instant at);
}
