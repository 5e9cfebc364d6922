package madoguchi.telephony;

import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import madoguchi.app.sms.TextMessages;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * SMS through twilio-java's {@code Message.creator}, with a REST client whose HTTP client sends
 * every request to TWILIO_API_BASE_URL (Twilio itself, a Twilio-compatible provider, or a local
 * fake in tests). The blocking call runs on a worker thread, never on an event loop.
 */
public final class TwilioMessages implements TextMessages {
    private final Vertx vertx;
    private final TwilioRestClient client;
    private final String accountSid;
    private final String from;
    private final URI statusCallback;

    public TwilioMessages(Vertx vertx, String accountSid, String authToken, String from, URI apiBase) {
        this(vertx, accountSid, authToken, from, apiBase, null);
    }

    /** {@code statusCallback}: where Twilio reports delivered / failed (null: not asked for). */
    public TwilioMessages(Vertx vertx, String accountSid, String authToken, String from, URI apiBase, URI statusCallback) {
        this.vertx = vertx;
        this.statusCallback = statusCallback;
        this.accountSid = accountSid;
        this.from = from;
        this.client = new TwilioRestClient.Builder(accountSid, authToken).httpClient(new BaseUrlHttpClient(apiBase)).build();
    }

    @Override
    public Future<String> send(String toPhone, String body) {
        return vertx.executeBlocking(() -> {
            var creator = Message.creator(accountSid, new PhoneNumber(toPhone), new PhoneNumber(from), body);
            if (statusCallback != null) {
                creator.setStatusCallback(statusCallback);
            }
            return creator.create(client).getSid();
        }, false);
    }

    /** Sends twilio-java's requests to another base URL (scheme, host and port), keeping path and query. */
    static final class BaseUrlHttpClient extends HttpClient {
        private final URI base;
        private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5)).version(java.net.http.HttpClient.Version.HTTP_1_1).build();

        BaseUrlHttpClient(URI base) {
            this.base = base;
        }

        /** One attempt: the outbox retries later, rather than a worker thread sleeping between attempts. */
        @Override
        public Response reliableRequest(Request request) {
            return makeRequest(request);
        }

        @Override
        public Response makeRequest(Request request) {
            try {
                URL original = request.constructURL();
                String prefix = base.toString().replaceAll("/+$", "");
                URI target = URI.create(prefix + original.getFile());
                HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(15))
                        .header("Accept", "application/json");
                if (request.getAuthStrategy() != null && request.getAuthStrategy().getAuthString() != null) {
                    String auth = request.getAuthStrategy().getAuthString();
                    b.header("Authorization", auth.startsWith("Basic ") || auth.startsWith("Bearer ") ? auth : "Basic " + auth);
                } else if (request.getUsername() != null) {
                    b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            (request.getUsername() + ":" + request.getPassword()).getBytes(StandardCharsets.UTF_8)));
                }
                for (Map.Entry<String, List<String>> h : request.getHeaderParams().entrySet()) {
                    for (String v : h.getValue()) {
                        try {
                            b.header(h.getKey(), v);
                        } catch (IllegalArgumentException restricted) {
                            // headers the JDK client sets itself (Host, Content-Length, ...)
                        }
                    }
                }
                HttpMethod method = request.getMethod();
                if (method == HttpMethod.POST) {
                    b.header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(request.encodeFormBody()));
                } else if (method == HttpMethod.DELETE) {
                    b.DELETE();
                } else {
                    b.GET();
                }
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                return new Response(r.body(), r.statusCode());
            } catch (IOException e) {
                throw new com.twilio.exception.ApiConnectionException("Twilio cannot be reached: " + e.getClass().getSimpleName(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new com.twilio.exception.ApiConnectionException("interrupted", e);
            }
        }
    }
}
