package madoguchi.app.sms;

import io.vertx.core.Future;

/**
 * Sends a text message (SMS) to a resident. The telephony package implements it with Twilio;
 * whoever calls it must not log the number or the text, both are personal data.
 */
public interface TextMessages {
    /**
     * Sends {@code body} to {@code toPhone} (E.164, e.g. +819012345678); succeeds with the
     * provider's message id once the provider accepted it, fails when it refused or was unreachable.
     */
    Future<String> send(String toPhone, String body);
}
