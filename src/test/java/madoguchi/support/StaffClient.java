package madoguchi.support;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A browser-like client of the staff API: signs in with a password, keeps the two cookies the
 * service sets, and sends the CSRF header unless told not to.
 */
public final class StaffClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    public final Map<String, String> cookies = new LinkedHashMap<>();
    public final List<String> setCookieHeaders = new ArrayList<>();
    /** Headers sent with every request (e.g. what a browser says in Origin or Sec-Fetch-Site). */
    public final Map<String, String> headers = new LinkedHashMap<>();

    public StaffClient(String base) {
        this.base = base;
    }

    /** Creates a user with a password through the admin API (bootstrap token). */
    public static void createUser(TestService service, String name, String role, String password) {
        TestService.Response r = service.post("/api/v1/admin/users", TestService.ADMIN_TOKEN,
                new JsonObject().put("name", name).put("role", role).put("password", password));
        if (r.status() != 201) {
            throw new IllegalStateException("user not created: " + r);
        }
    }

    public TestService.Response login(String name, String password) {
        TestService.Response r = send("POST", "/api/v1/staff/login", new JsonObject().put("name", name).put("password", password), false);
        if (r.status() != 200) {
            throw new IllegalStateException("login failed: " + r);
        }
        return r;
    }

    public String csrf() {
        return cookies.get("madoguchi_csrf");
    }

    public TestService.Response send(String method, String path, Object body, boolean withCsrf) {
        return send(method, path, body, withCsrf ? csrf() : null);
    }

    public TestService.Response sendWithBearer(String method, String path, Object body, String token) {
        return send(method, path, body, null, token);
    }

    public TestService.Response send(String method, String path, Object body, String csrfHeader) {
        return send(method, path, body, csrfHeader, null);
    }

    private TestService.Response send(String method, String path, Object body, String csrfHeader, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        String payload = body == null ? null : body.toString();
        if (payload != null) {
            b.header("Content-Type", body instanceof String ? "text/csv" : "application/json");
        }
        b.method(method, payload == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(payload));
        if (!cookies.isEmpty()) {
            StringBuilder c = new StringBuilder();
            cookies.forEach((k, v) -> c.append(c.length() == 0 ? "" : "; ").append(k).append('=').append(v));
            b.header("Cookie", c.toString());
        }
        if (csrfHeader != null) {
            b.header("X-CSRF-Token", csrfHeader);
        }
        headers.forEach(b::header);
        try {
            HttpRequest request = b.build();
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            Contract.check(request.method(), request.uri(), r.statusCode(), r.headers().map(), r.body());
            for (String set : r.headers().allValues("set-cookie")) {
                setCookieHeaders.add(set);
                String pair = set.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String name = pair.substring(0, eq).trim();
                String value = pair.substring(eq + 1).trim();
                if (value.isEmpty() || set.toLowerCase().contains("max-age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            return new TestService.Response(r.statusCode(), r.body(), r.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
