package madoguchi.http;

import madoguchi.support.RawHttp;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HSTS on every answer when the service is reached over https, and none over plain http;
 * /metrics only on the management port, not on the public one.
 */
class TransportTest {
    private static final List<String> PATHS = List.of("/", "/health", "/api/v1/sites", "/api/v1/nothing", "/no/such/page",
            "/api/v1/admin/audit");

    @Test
    void everyAnswerCarriesHstsWhenThePublicAddressIsHttps() throws Exception {
        try (TestService s = TestService.start(TestDatabase.fresh(), Map.of("PUBLIC_BASE_URL", "https://madoguchi.example.jp"),
                Clock.systemUTC())) {
            for (String path : PATHS) {
                assertEquals("max-age=31536000; includeSubDomains", s.get(path, null).header("Strict-Transport-Security"), path);
            }
            // even a request the HTTP layer refuses (a request line too long)
            try (RawHttp c = new RawHttp(s.port)) {
                c.send("GET /api/v1/sites?q=" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                assertTrue(c.awaitText("\r\n\r\n", 10_000), c.received());
                assertEquals(414, c.status(), c.received());
                assertTrue(c.received().contains("Strict-Transport-Security: max-age=31536000; includeSubDomains"), c.received());
            }
        }
    }

    @Test
    void noHstsOverPlainHttpAndMetricsOnlyOnTheManagementPort() throws Exception {
        try (TestService s = TestService.start(TestDatabase.fresh(), Map.of("PUBLIC_BASE_URL", "http://127.0.0.1:1"), Clock.systemUTC())) {
            for (String path : PATHS) {
                assertNull(s.get(path, null).header("Strict-Transport-Security"), path);
            }
            var publicMetrics = s.get("/metrics", null);
            assertEquals(404, publicMetrics.status(), "the public port does not serve the metrics");
            assertTrue(!publicMetrics.body().contains("madoguchi_"), publicMetrics.body());
            assertTrue(s.app.managementPort() != s.port);
            String metrics = s.metrics();
            assertTrue(metrics.contains("jvm_memory_used_bytes"), "served on the management port");
            assertTrue(metrics.contains("madoguchi_abuse_lockouts_total"), "the service's own metrics too");
        }
    }
}
