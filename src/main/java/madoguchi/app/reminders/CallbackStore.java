package madoguchi.app.reminders;

import io.vertx.core.Future;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Callback requests left by callers in the operator queue. */
public interface CallbackStore {

    /**
     * Stores a request once per call (a retried webhook changes nothing); the stored request.
     * {@code preferred}: morning, afternoon or any; {@code reason}: queue, closed or queue_failed.
     */
    Future<CallbackRequest> add(String callSid, String phone, String language, String preferred, String reason, Instant at);

    /** Open requests first (oldest first), then the most recent done ones. */
    Future<List<CallbackRequest>> list(int limit);

    /** Marks a request done; empty when there is no such request. */
    Future<Optional<CallbackRequest>> done(long id, String by, Instant at);
}
