package madoguchi.app.reminders;

import java.time.Instant;

/**
 * A caller's request to be called back by an operator instead of waiting in the queue:
 * {@code preferred} morning, afternoon or any; {@code reason} queue (left while waiting), closed
 * (outside the call center's hours) or queue_failed (the queue could not take the call).
 */
public record CallbackRequest(long id, String phone, String language, Instant requestedAt, String state,
                              String preferred, String reason) {

    @Override
    public String toString() {
        // the phone number stays out of logs
        return "CallbackRequest[id=" + id + ", language=" + language + ", state=" + state + ", preferred=" + preferred + ", reason=" + reason + "]";
    }
}
