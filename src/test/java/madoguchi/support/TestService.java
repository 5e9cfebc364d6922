package madoguchi.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.Application;
import madoguchi.Config;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole service started in the test JVM on its own database and port, spoken to over real
 * HTTP, with the bootstrap administrator's token at hand.
 */
public final class TestService implements AutoCloseable {
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    public final Config.DatabaseUrl database;
    public final Application app;
    public final int port;

    private TestService(Config.DatabaseUrl database, Application app, int port) {
        this.database = database;
        this.app = app;
        this.port = port;
    }

    /** A service without demo data on a fresh database. */
    public static TestService start() throws Exception {
        return start(TestDatabase.fresh(), Map.of(), Clock.systemUTC());
    }

    public static TestService start(Config.DatabaseUrl db, Map<String, String> extraEnv, Clock clock) throws Exception {
        int port = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("PORT", Integer.toString(port));
        env.put("DATABASE_URL", TestDatabase.url(db));
        env.put("MADOGUCHI_DEMO", "false");
        env.put("MADOGUCHI_BOOTSTRAP_ADMIN_TOKEN", ADMIN_TOKEN);
        // every test client shares 127.0.0.1; the limits have their own test
        env.put("MADOGUCHI_VERIFY_PER_ADDRESS_PER_MINUTE", "1000000");
        env.put("MADOGUCHI_VERIFY_FAILURES_PER_10_MINUTES", "1000000");
        env.put("MADOGUCHI_BOOKING_CHANGES_PER_CARD_PER_DAY", "1000000");
        // each service its own management port (/metrics), chosen when it listens
        env.put("MANAGEMENT_PORT", "0");
        env.putAll(extraEnv);
        Application app = Application.start(Config.fromEnvironment(env), clock);
        // a test may choose the port itself (e.g. to put it in PUBLIC_BASE_URL)
        return new TestService(db, app, Integer.parseInt(env.get("PORT")));
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    /** The Prometheus text served on the management port. */
    public String metrics() {
        Response r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.managementPort() + "/metrics")).GET(), null);
        if (r.status() != 200) {
            throw new IllegalStateException("metrics not served: " + r.status());
        }
        return r.body();
    }

    public Response get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).GET(), token);
    }

    public Response delete(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).DELETE(), token);
    }

    public Response post(String path, String token, Object body) {
        return post(path, token, body, Map.of());
    }

    public Response post(String path, String token, Object body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", body instanceof String ? "text/csv" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body.toString()));
        headers.forEach(b::header);
        return send(b, token);
    }

    public Response put(String path, String token, JsonObject body) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.encode())), token);
    }

    private static Response send(HttpRequest.Builder b, String token) {
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpRequest request = b.timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            Contract.check(request.method(), request.uri(), r.statusCode(), r.headers().map(), r.body());
            return new Response(r.statusCode(), r.body(), r.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP answer. */
    public record Response(int status, String body, Map<String, java.util.List<String>> headers) {
        public JsonObject json() {
            return new JsonObject(body);
        }

        public JsonArray array() {
            return new JsonArray(body);
        }

        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** Creates a site with one slot of the given capacity on {@code day} 10:00–10:15 and returns its slot id. */
    public long siteWithOneSlot(String siteId, LocalDate day, int counters, int perCounter) {
        Response site = post("/api/v1/admin/sites", ADMIN_TOKEN, new JsonObject().put("id", siteId)
                .put("name", new JsonObject().put("ja", "テスト会場 " + siteId).put("en", "Test site " + siteId))
                .put("kind", "popup").put("address", "川崎市"));
        if (site.status() != 201) {
            throw new IllegalStateException("site not created: " + site);
        }
        Response cap = put("/api/v1/admin/sites/" + siteId + "/capacity", ADMIN_TOKEN, new JsonObject()
                .put("from", day.toString()).put("to", day.toString()).put("startTime", "10:00").put("endTime", "10:15")
                .put("counters", counters).put("perCounter", perCounter));
        if (cap.status() != 200) {
            throw new IllegalStateException("capacity not set: " + cap);
        }
        Response slots = get("/api/v1/sites/" + siteId + "/availability?from=" + day + "&to=" + day + "&channel=operator", null);
        return slots.array().getJsonObject(0).getLong("slotId");
    }

    /** Imports {@code count} ready cards at the site, numbered from {@code firstNotice}; birth date 1980-01-01. */
    public void importCards(String siteId, long firstNotice, int count) {
        StringBuilder csv = new StringBuilder("noticeNumber,birthDate,phone,siteId,state\n");
        for (int i = 0; i < count; i++) {
            csv.append(firstNotice + i).append(",1980-01-01,,").append(siteId).append(",ready\n");
        }
        Response r = post("/api/v1/admin/cards/import", ADMIN_TOKEN, csv.toString());
        if (r.status() != 200 || r.json().getInteger("imported") + r.json().getInteger("updated")
                + r.json().getInteger("unchanged", 0) != count) {
            throw new IllegalStateException("cards not imported: " + r);
        }
    }

    public String verify(long notice) {
        Response r = post("/api/v1/residents/verify", null,
                new JsonObject().put("noticeNumber", Long.toString(notice)).put("birthDate", "1980-01-01"));
        if (r.status() != 200) {
            throw new IllegalStateException("verification failed: " + r);
        }
        return r.json().getString("token");
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        app.close();
    }
}
