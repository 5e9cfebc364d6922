package madoguchi.app.booking;

import madoguchi.domain.ActiveBooking;
import madoguchi.domain.Refusal;

/**
 * Why the database would not take a decision the shard had accepted: the card is not ready
 * or already booked (another instance got there first), the hold or booking was ended
 * elsewhere, or the Idempotency-Key was used before (then {@code replay} is the first decision, or the key-reused refusal).
 */
public record Rejection(Refusal refusal, ActiveBooking existing, Replay replay) {

    public static Rejection of(Refusal refusal) {
        return new Rejection(refusal, null, null);
    }
}
