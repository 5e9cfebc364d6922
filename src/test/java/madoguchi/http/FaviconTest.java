package madoguchi.http;

import io.vertx.core.json.JsonObject;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every page links a small SVG icon that the service serves, and /favicon.ico (asked for by
 * browsers and monitors without a link) is answered too: no 404 on every page load.
 */
class FaviconTest {
    private static final String LINK = "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">";
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of(), Clock.systemUTC());
        assertEquals(201, service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new JsonObject().put("id", "iconwalk")
                .put("name", new JsonObject().put("ja", "臨時窓口").put("en", "Walk-in")).put("kind", "popup").put("walkIn", true)).status());
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void theIconIsServedAtBothAddressesAsAnSvg() throws Exception {
        for (String path : List.of("/favicon.svg", "/favicon.ico")) {
            TestService.Response r = service.get(path, null);
            assertEquals(200, r.status(), path);
            assertEquals("image/svg+xml", r.header("Content-Type"), path);
            assertTrue(r.header("Cache-Control").contains("max-age="), path + " is cached: " + r.header("Cache-Control"));
            var svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(r.body().getBytes(StandardCharsets.UTF_8))).getDocumentElement();
            assertEquals("svg", svg.getNodeName());
            assertEquals("0 0 32 32", svg.getAttribute("viewBox"));
        }
        HttpResponse<Void> head = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(service.base() + "/favicon.ico"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, head.statusCode());
    }

    @Test
    void everyPageLinksIt() throws Exception {
        for (String path : List.of("/", "/?lang=en", "/console", "/console/counter", "/admin", "/admin/audit", "/admin/reports",
                "/board/iconwalk")) {
            TestService.Response r = service.get(path, null);
            assertEquals(200, r.status(), path);
            assertTrue(r.body().contains(LINK), path + " links the icon");
        }
        HttpResponse<String> missing = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(service.base() + "/no/such/page"))
                .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains(LINK), "the 404 page links the icon too");
    }
}
