package madoguchi.app.booking;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

public interface BookingStore {

    Future<Optional<BookingView>> byCode(String code);

    /** The card's bookings, newest first. */
    Future<List<BookingView>> ofCard(long cardId);

    /**
     * What a request gets when its Idempotency-Key already has a first decision kept (decided by
     * {@link Idempotency#replayOf}); empty when the key is new.
     */
    Future<Optional<Replay>> replayOf(Idempotency key);
}
