package madoguchi.app;

import io.vertx.core.Future;

import java.time.Instant;
import java.util.List;

/** SMS kept in the database until the provider accepted them (see {@link SmsDelivery}). */
public interface SmsOutbox {

    record Pending(long id, String phone, String body, int attempts) {
        @Override
        public String toString() {
            return "Pending[" + id + "]"; // never the number or the text
        }
    }

    /**
     * Claims up to {@code limit} messages due at {@code now} for this sender: they are not handed
     * to another sender (another instance) until {@code claimUntil}.
     */
    Future<List<Pending>> claimDue(Instant now, Instant claimUntil, int limit);

    Future<Void> sent(long id, String providerId, Instant at);

    Future<Void> failed(long id, String error, Instant nextAttempt);

    /** How many are waiting to be sent. */
    Future<Long> waiting();
}
