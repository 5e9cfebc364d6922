package madoguchi.app.sms;

import io.vertx.core.Future;

/** Used when no SMS provider is configured: every send fails, so callers keep the message for later. */
public final class NoTextMessages implements TextMessages {
    @Override
    public Future<String> send(String toPhone, String body) {
        return Future.failedFuture(new IllegalStateException("SMS is not configured (set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER)"));
    }
}
