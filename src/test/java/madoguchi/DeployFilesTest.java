package madoguchi;

import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/haproxy.cfg, the balancer docs/operations.md describes, is valid for HAProxy (checked by
 * its own {@code haproxy -c}, as CI installs it) and works: two instances on one database behind
 * it answer every request, also after one of them stopped listening (HAProxy resends a request
 * whose connection failed to the other, before its health check has even noticed).
 */
class DeployFilesTest {
    private static final Path CONFIG = Path.of("deploy", "haproxy.cfg");

    @Test
    void haproxyAcceptsTheConfigAndKeepsAnsweringWhenAnInstanceGoesAway() throws Exception {
        int listen = TestService.freePort();
        var db = TestDatabase.fresh();
        TestService a = TestService.start(db, Map.of(), Clock.systemUTC());
        TestService b = TestService.start(db, Map.of(), Clock.systemUTC());
        Map<String, String> env = Map.of("MADOGUCHI_LISTEN", "127.0.0.1:" + listen,
                "MADOGUCHI_INSTANCE_A", URI.create(a.base()).getAuthority(), "MADOGUCHI_INSTANCE_B", URI.create(b.base()).getAuthority());
        haproxy(env, "-c", "-f", CONFIG.toString()); // exits 0 only for a valid file

        Path log = Files.createTempFile("haproxy-", ".log");
        ProcessBuilder pb = new ProcessBuilder("haproxy", "-db", "-f", CONFIG.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process haproxy = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        try {
            URI ready = URI.create("http://127.0.0.1:" + listen + "/ready");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (status(http, ready) != 200) {
                assertTrue(System.nanoTime() < deadline && haproxy.isAlive(), "HAProxy never served; " + Files.readString(log));
                Thread.sleep(50); // HAProxy starting up and checking both: no clock to move
            }
            for (int i = 0; i < 20; i++) {
                assertEquals(200, status(http, ready));
            }
            a.close(); // stops listening; HAProxy has not noticed yet
            for (int i = 0; i < 50; i++) {
                assertEquals(200, status(http, ready), "request " + i + " after A went away; " + Files.readString(log));
            }
        } finally {
            haproxy.destroy();
            haproxy.waitFor(10, TimeUnit.SECONDS);
            b.close();
        }
    }

    private static int status(HttpClient http, URI uri) throws Exception {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String haproxy(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("haproxy"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("haproxy is needed for this test (Debian: apt-get install haproxy; .ci/run installs it)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "haproxy -c did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + out);
        return out;
    }
}
