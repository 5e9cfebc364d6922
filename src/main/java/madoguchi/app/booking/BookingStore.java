package madoguchi.app.booking;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

public interface BookingStore {

    Future<Optional<BookingView>> byCode(String code);

    /** The card's bookings, newest first. */
    Future<List<BookingView>> ofCard(long cardId);

    /** The first answer stored for an Idempotency-Key, if the request was seen before. */
    Future<Optional<StoredAnswer>> storedAnswer(String scope, String key, String requestHash);
}
