package madoguchi.store;

import io.vertx.core.json.JsonObject;
import madoguchi.Application;
import madoguchi.Config;
import madoguchi.support.TestService;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The default run: embedded PostgreSQL under DATA_DIR keeps its data across a restart. */
class EmbeddedRestartTest {

    @Test
    void aBookingSurvivesARestartOfTheEmbeddedDefault() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "embedded-data-");
        int port = TestService.freePort();
        Map<String, String> env = Map.of("PORT", Integer.toString(port), "DATA_DIR", dataDir.toString(),
                "MADOGUCHI_BOOTSTRAP_ADMIN_TOKEN", TestService.ADMIN_TOKEN, "MANAGEMENT_PORT", "0");
        HttpClient http = HttpClient.newHttpClient();
        String code;
        try (Application first = Application.start(Config.fromEnvironment(env), Clock.systemUTC())) {
            String token = new JsonObject(post(http, port, "/api/v1/residents/verify",
                    "{\"noticeNumber\":\"2100000001\",\"birthDate\":\"" + DemoData.birthDate(0) + "\"}", null)).getString("token");
            String slots = get(http, port, "/api/v1/sites/center/availability?from=" + java.time.LocalDate.now().plusDays(3));
            long slotId = new io.vertx.core.json.JsonArray(slots).getJsonObject(0).getLong("slotId");
            code = new JsonObject(post(http, port, "/api/v1/bookings", "{\"slotId\":" + slotId + "}", token)).getString("code");
        }
        try (Application second = Application.start(Config.fromEnvironment(env), Clock.systemUTC())) {
            String token = new JsonObject(post(http, port, "/api/v1/residents/verify",
                    "{\"noticeNumber\":\"2100000001\",\"birthDate\":\"" + DemoData.birthDate(0) + "\"}", null)).getString("token");
            HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/bookings/" + code))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, read.statusCode(), read.body());
            assertEquals("active", new JsonObject(read.body()).getString("status"));
            try (var c = second.database().jdbc(); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT count(*) FROM cards")) {
                rs.next();
                assertEquals(DemoData.CARDS + DemoData.HISTORY_CARDS + DemoData.WALK_IN_CARDS, rs.getInt(1),
                        "demo data is loaded once, not again on restart");
            }
        }
    }

    private static String get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String post(HttpClient http, int port, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }
}
