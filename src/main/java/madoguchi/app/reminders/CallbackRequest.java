package madoguchi.app.reminders;

import java.time.Instant;

/** A caller's request to be called back by an operator instead of waiting in the queue. */
public record CallbackRequest(long id, String phone, String language, Instant requestedAt, String state) {

    @Override
    public String toString() {
        // the phone number stays out of logs
        return "CallbackRequest[id=" + id + ", language=" + language + ", state=" + state + "]";
    }
}
