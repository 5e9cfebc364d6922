package madoguchi.app.verification;

import io.vertx.core.Future;
import madoguchi.app.cards.CardRecord;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A web verification's shared limits and its card lookup in one step: the attempt counted for the
 * client address, then (within that limit) a failure reserved for the notice number, the card
 * read, and the reservation given back when the birth date is right, all at once and atomically
 * where every instance counts ({@code store.PgAttempts}). The same rules as
 * {@link Verification.Limits#perAddress()} then {@link Verification.Limits#failuresPerNotice()}
 * one after the other, in one round trip instead of four: under a surge a resident's verification
 * waits for one statement, not for four in a row.
 */
public interface WebAttempts {

    /**
     * What one attempt met. {@code addressLockedUntil}: the address used up its limit (the attempt
     * counted, nothing else done). Else {@code noticeLockedUntil}: the notice number is locked
     * (the card was not looked at). Else {@code card}: the card whose notice number and birth
     * date these are (nothing counted against the notice number), or null when there is none (a
     * failure counted).
     */
    record Met(Instant addressLockedUntil, Instant noticeLockedUntil, CardRecord card) {
    }

    /** {@code addressKey} and {@code noticeKey} as the two limits name them; {@code notice} normalized. */
    Future<Met> attempt(String addressKey, String noticeKey, String notice, LocalDate birth);
}
