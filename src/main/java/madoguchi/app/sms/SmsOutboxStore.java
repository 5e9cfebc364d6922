package madoguchi.app.sms;

import io.vertx.core.Future;
import madoguchi.domain.TextKind;

import java.time.Instant;
import java.util.List;

/** Text messages waiting to be accepted by the provider. */
public interface SmsOutboxStore {

    /** A message not sent yet: what it is about and when it was put in the outbox decide when it may go. */
    record Pending(long id, String phone, String body, int attempts, TextKind kind, Instant queued) {
        @Override
        public String toString() {
            return "Pending[id=" + id + ", kind=" + kind + ", attempts=" + attempts + "]";
        }
    }

    /** Keeps a message put in the outbox at {@code at}, first tried at {@code firstAttempt}; completes with its row. */
    Future<Long> add(TextKind kind, String phone, String body, Instant at, Instant firstAttempt);

    /**
     * In one statement: records the reminder of the booking {@code code} as sent with this
     * confirmation and keeps the message, {@code withReminder} as its text; when the booking already
     * has its reminder, keeps {@code plain} instead. Completes with the row and the text kept.
     */
    Future<Pending> addWithReminder(String code, String phone, String plain, String withReminder, Instant at);

    Future<Void> sent(long id, String providerId, Instant at);

    Future<Void> failed(long id, String error, Instant nextAttempt);

    /** The message is not tried before {@code until} (the night's end); no attempt is counted. */
    Future<Void> putOff(long id, Instant until);

    /** Unsent messages due at {@code now}, each put off until {@code leaseUntil} while this instance tries it. */
    Future<List<Pending>> claimDue(Instant now, Instant leaseUntil, int limit);

    /** How many unsent messages (not given up on) wait to be tried at {@code at} exactly (the coming 08:00). */
    Future<Integer> waitingFor(Instant at);
}
