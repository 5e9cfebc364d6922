package madoguchi.app.sms;

import io.vertx.core.Future;

import java.time.Instant;
import java.util.List;

/** Text messages waiting to be accepted by the provider. */
public interface SmsOutboxStore {

    record Pending(long id, String phone, String body, int attempts) {
        @Override
        public String toString() {
            return "Pending[id=" + id + ", attempts=" + attempts + "]";
        }
    }

    Future<Long> add(String phone, String body, Instant at);

    /**
     * In one statement: records the reminder of the booking {@code code} as sent with this
     * confirmation and keeps the message, {@code withReminder} as its text; when the booking already
     * has its reminder, keeps {@code plain} instead. Completes with the row and the text kept.
     */
    Future<Pending> addWithReminder(String code, String phone, String plain, String withReminder, Instant at);

    Future<Void> sent(long id, String providerId, Instant at);

    Future<Void> failed(long id, String error, Instant nextAttempt);

    /** Unsent messages due at {@code now}, each put off until {@code leaseUntil} while this instance tries it. */
    Future<List<Pending>> claimDue(Instant now, Instant leaseUntil, int limit);
}
