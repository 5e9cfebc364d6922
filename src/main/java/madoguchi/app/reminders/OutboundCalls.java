package madoguchi.app.reminders;

import io.vertx.core.Future;

/** Places a telephone call whose words the service's own webhooks give (Twilio in production). */
public interface OutboundCalls {

    /**
     * Asks the provider to call {@code phone} (E.164) for the reminder of {@code bookingId}; the
     * call's webhook URLs carry {@code token}. Completes with the provider's id of the call.
     */
    Future<String> reminderCall(String phone, long bookingId, String token);
}
