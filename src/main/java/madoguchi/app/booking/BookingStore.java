package madoguchi.app.booking;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

public interface BookingStore extends KeptDecisions {

    Future<Optional<BookingView>> byCode(String code);

    /** The card's bookings, newest first. */
    Future<List<BookingView>> ofCard(long cardId);
}
