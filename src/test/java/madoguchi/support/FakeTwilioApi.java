package madoguchi.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for Twilio's REST API: records every message posted to
 * /2010-04-01/Accounts/{sid}/Messages.json and every call posted to .../Calls.json (form
 * parameters and basic-auth user) and answers as Twilio does (201 with the message's or the
 * call's JSON), or 500 for the next failures asked for.
 */
public final class FakeTwilioApi implements AutoCloseable {
    private static final Pattern MESSAGES = Pattern.compile("/2010-04-01/Accounts/([^/]+)/(Messages|Calls)\\.json");

    /** One message the service sent. */
    public record Sent(String accountSid, String authUser, Map<String, String> form) {
    }

    private final HttpServer server;
    private final List<Sent> sent = new ArrayList<>();
    private final List<Sent> calls = new ArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    public FakeTwilioApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next {@code n} requests fail with 500, as a provider outage would. */
    public void failNext(int n) {
        failNext.set(n);
    }

    public int requests() {
        return requests.get();
    }

    public synchronized List<Sent> sent() {
        return new ArrayList<>(sent);
    }

    /** The calls the service placed (form parameters To, From, Url, StatusCallback, ...), oldest first. */
    public synchronized List<Sent> calls() {
        return new ArrayList<>(calls);
    }

    /** Waits (up to 10 s) until {@code n} messages were accepted; the service sends off the call's path. */
    public List<Sent> awaitSent(int n) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofSeconds(10));
        while (sent().size() < n && Instant.now().isBefore(until)) {
            Thread.sleep(20);
        }
        return sent();
    }

    /** Waits (up to 10 s) for a message to {@code to}; fails when none came. */
    public Sent awaitSentTo(String to) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(until)) {
            for (Sent s : sent()) {
                if (to.equals(s.form().get("To"))) {
                    return s;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no SMS to the caller's number arrived");
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        Matcher m = MESSAGES.matcher(ex.getRequestURI().getPath());
        if (!"POST".equals(ex.getRequestMethod()) || !m.matches()) {
            answer(ex, 404, "{\"code\":20404,\"message\":\"The requested resource was not found\",\"status\":404}");
            return;
        }
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answer(ex, 500, "{\"code\":20500,\"message\":\"Internal Server Error\",\"status\":500}");
            return;
        }
        Map<String, String> form = new LinkedHashMap<>();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String user = null;
        if (auth != null && auth.startsWith("Basic ")) {
            user = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8).split(":", 2)[0];
        }
        String sid;
        if ("Calls".equals(m.group(2))) {
            synchronized (this) {
                calls.add(new Sent(m.group(1), user, form));
                sid = String.format("CA%032d", calls.size());
            }
            answer(ex, 201, "{\"sid\":\"" + sid + "\",\"account_sid\":\"" + m.group(1) + "\",\"status\":\"queued\","
                    + "\"direction\":\"outbound-api\",\"api_version\":\"2010-04-01\"}");
            return;
        }
        synchronized (this) {
            sent.add(new Sent(m.group(1), user, form));
            sid = String.format("SM%032d", sent.size());
        }
        answer(ex, 201, "{\"sid\":\"" + sid + "\",\"account_sid\":\"" + m.group(1) + "\",\"status\":\"queued\","
                + "\"num_segments\":\"1\",\"direction\":\"outbound-api\",\"api_version\":\"2010-04-01\"}");
    }

    private static void answer(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
