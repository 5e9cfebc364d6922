package madoguchi.telephony;

import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.type.PhoneNumber;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import madoguchi.app.reminders.OutboundCalls;

import java.net.URI;

/**
 * Reminder calls through twilio-java's {@code Call.creator}, with the same REST client as the SMS
 * (every request goes to TWILIO_API_BASE_URL). Twilio fetches the call's words from
 * PUBLIC_BASE_URL/twilio/voice/reminder and reports how it ended to .../reminder/status; both URLs
 * carry the booking and the job's token. The blocking call runs on a worker thread.
 */
public final class TwilioCalls implements OutboundCalls {
    /** Seconds to let it ring, and the longest a reminder call may last. */
    private static final int RING_SECONDS = 30;
    private static final int TIME_LIMIT_SECONDS = 300;

    private final Vertx vertx;
    private final TwilioRestClient client;
    private final String accountSid;
    private final String from;
    private final String base;

    public TwilioCalls(Vertx vertx, String accountSid, String authToken, String from, URI apiBase, URI publicBaseUrl) {
        this.vertx = vertx;
        this.accountSid = accountSid;
        this.from = from;
        this.base = publicBaseUrl.toString().replaceAll("/+$", "");
        this.client = new TwilioRestClient.Builder(accountSid, authToken)
                .httpClient(new TwilioMessages.BaseUrlHttpClient(apiBase)).build();
    }

    /** The call's webhook URL for {@code route} ("" for the answer, "/status", "/choice"). */
    static String url(String base, String route, long bookingId, String token) {
        return base + "/twilio/voice/reminder" + route + "?booking=" + bookingId + "&t=" + token;
    }

    @Override
    public Future<String> reminderCall(String phone, long bookingId, String token) {
        return vertx.executeBlocking(() -> Call.creator(accountSid, new PhoneNumber(phone), new PhoneNumber(from),
                        URI.create(url(base, "", bookingId, token)))
                .setMethod(HttpMethod.POST)
                .setStatusCallback(URI.create(url(base, "/status", bookingId, token)))
                .setStatusCallbackMethod(HttpMethod.POST)
                .setTimeout(RING_SECONDS)
                .setTimeLimit(TIME_LIMIT_SECONDS)
                .create(client).getSid(), false);
    }
}
