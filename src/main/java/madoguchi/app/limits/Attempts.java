package madoguchi.app.limits;

import io.vertx.core.Future;

import java.time.Instant;

/**
 * Attempts per key (a client address, a notice number, a calling number, a card) counted in fixed
 * windows that start at a key's first attempt: at most the limit per window. Two implementations:
 * {@link AttemptLimiter} in this instance's memory (one instance; the use-case tests), and
 * {@code store.PgAttempts} in PostgreSQL, where every instance of the service counts in the same
 * row, so that spreading tries over instances gains nothing.
 */
public interface Attempts {

    /**
     * Counts an attempt before its outcome is known (e.g. before the card is looked up), so that
     * attempts running at the same time, on any instance, cannot together pass the limit: at most
     * {@code limit} reservations are given per window. The caller keeps a failed attempt and gives
     * back one that does not count (a success, or an attempt that was never evaluated).
     */
    Future<Reservation> reserve(String key);

    /** Counts an attempt whatever the count: null when it was within the limit, else when attempts are allowed again. */
    Future<Instant> tryAcquire(String key);

    /** When the key may try again, or null when it may now; counts nothing. */
    Future<Instant> lockedUntil(String key);

    /** An attempt counted ahead of its outcome, or refused ({@link #refusedUntil()} says until when). */
    interface Reservation {
        /** Null when the attempt was counted and may go on; else when attempts are allowed again. */
        Instant refusedUntil();

        /**
         * Uncounts the attempt (once; nothing for a refused one). Completes when it is uncounted
         * everywhere, so that an answer sent after it finds the count given back; it never fails
         * (not given back, the attempt stays counted: the safe side).
         */
        Future<Void> giveBack();
    }
}
