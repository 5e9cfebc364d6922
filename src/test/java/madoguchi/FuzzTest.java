package madoguchi;

import io.vertx.core.json.JsonObject;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input, seeded and repeatable: every path and method documented in {@code openapi.yaml}
 * (so routes added later are fuzzed too) gets malformed requests — broken JSON, wrong types, bodies
 * beyond the limit, odd Unicode, SQL-like strings, invalid dates, bad path parameters, wrong
 * content types, duplicate parameters; for paths under {@code /twilio/}, form posts with missing,
 * duplicate and junk Twilio parameters and bad signatures — as nobody, a resident, an operator and
 * an administrator. No answer may be a 5xx; every API error is JSON with an error code; and no
 * table changes (a checksum of every table before and after).
 */
class FuzzTest {
    private static final int TOTAL = 11_000;
    private static final long SEED = Long.getLong("fuzz.seed", 20261126L);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    record Route(String method, String path) {
    }

    static List<Route> routes() throws IOException {
        List<Route> out = new ArrayList<>();
        try (InputStream in = FuzzTest.class.getResourceAsStream("/openapi.yaml")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            boolean inPaths = false;
            String path = null;
            Pattern p = Pattern.compile("^  (/[^:]*):\\s*$");
            Pattern m = Pattern.compile("^    (get|post|put|delete|patch):.*$");
            for (String line : lines) {
                if (line.startsWith("paths:")) {
                    inPaths = true;
                    continue;
                }
                if (inPaths && !line.isEmpty() && !line.startsWith(" ")) {
                    inPaths = false;
                }
                if (!inPaths) {
                    continue;
                }
                Matcher pm = p.matcher(line);
                if (pm.matches()) {
                    path = pm.group(1);
                    continue;
                }
                Matcher mm = m.matcher(line);
                if (mm.matches() && path != null) {
                    out.add(new Route(mm.group(1).toUpperCase(), path));
                }
            }
        }
        return out;
    }

    @Test
    void malformedRequestsToEveryRouteAreRefusedWithoutWriting() throws Exception {
        List<Route> routes = routes();
        assertTrue(routes.size() >= 20, "routes read from openapi.yaml: " + routes);
        Config.DatabaseUrl db = TestDatabase.fresh();
        Map<String, String> env = Map.of("TWILIO_ACCOUNT_SID", "AC" + "0".repeat(32), "TWILIO_AUTH_TOKEN", "f".repeat(32),
                "PUBLIC_BASE_URL", "http://127.0.0.1");
        try (TestService service = TestService.start(db, env, Clock.systemUTC())) {
            LocalDate day = LocalDate.now(madoguchi.domain.BookingWindow.TOKYO).plusDays(3);
            long slot = service.siteWithOneSlot("fuzz", day, 1, 2);
            service.importCards("fuzz", 5_500_000_000L, 2);
            String resident = service.verify(5_500_000_000L);
            String operator = service.post("/api/v1/admin/users", TestService.ADMIN_TOKEN,
                    new JsonObject().put("name", "fuzz-operator").put("role", "operator")).json().getString("token");
            String[] tokens = {null, "garbage", "Bearer", resident + "x", resident, operator, TestService.ADMIN_TOKEN};

            Map<String, String> before = checksums(db);
            Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger sent = new AtomicInteger();
            int perRoute = (TOTAL + routes.size() - 1) / routes.size();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> jobs = new ArrayList<>();
            Random seeds = new Random(SEED);
            for (Route route : routes) {
                long routeSeed = seeds.nextLong();
                jobs.add(pool.submit(() -> {
                    Random r = new Random(routeSeed);
                    for (int i = 0; i < perRoute; i++) {
                        HttpRequest request = request(service.base(), route, tokens[r.nextInt(tokens.length)], r, slot);
                        sent.incrementAndGet();
                        try {
                            HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                            String problem = judge(route, answer);
                            statuses.computeIfAbsent(route.method + " " + route.path + " " + answer.statusCode(),
                                    k -> new AtomicInteger()).incrementAndGet();
                            if (problem != null && failures.size() < 30) {
                                failures.add(problem + ": " + request.method() + " " + abbreviate(request.uri().toString()) + " -> "
                                        + answer.statusCode() + " " + abbreviate(answer.body()));
                            }
                        } catch (IOException e) {
                            // a request so large the server closes the connection mid-body is refused, not answered
                            statuses.computeIfAbsent(route.method + " " + route.path + " closed", k -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> job : jobs) {
                job.get();
            }
            pool.shutdown();
            assertTrue(failures.isEmpty(), String.join("\n", failures));
            assertEquals(before, checksums(db), "malformed requests changed a table");
            assertTrue(sent.get() >= 10_000);

            Map<String, Integer> byStatus = new TreeMap<>();
            statuses.forEach((k, v) -> byStatus.merge(k.substring(k.lastIndexOf(' ') + 1), v.get(), Integer::sum));
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("requests", sent.get());
            figures.put("routes", routes.size());
            figures.put("seed", SEED);
            figures.put("byStatus", byStatus.toString());
            figures.put("serverErrors", 0);
            figures.put("tablesChanged", 0);
            CrashIT.Figures.record("fuzz", figures);
        }
    }

    /** Null when the answer is acceptable for a malformed request, else what is wrong with it. */
    private static String judge(Route route, HttpResponse<String> answer) {
        int status = answer.statusCode();
        if (status >= 500) {
            return "server error";
        }
        boolean api = route.path.startsWith("/api/");
        if (api && status >= 400) {
            String type = answer.headers().firstValue("Content-Type").orElse("");
            if (!type.startsWith("application/json")) {
                return "an API error that is not JSON";
            }
            try {
                String code = new JsonObject(answer.body()).getString("error");
                if (code == null || !code.matches("[a-z_]+")) {
                    return "an API error without an error code";
                }
            } catch (RuntimeException e) {
                return "an API error that is not a JSON object";
            }
        }
        return null;
    }

    // ---- the generator ----

    private static final String[] ODD = {
        "", " ", "null", "undefined", "-1", "0", "1.5", "1e400", "99999999999999999999999", "NaN", "Infinity",
        "' OR '1'='1", "1; DROP TABLE bookings; --", "\" OR \"\"=\"", "%00", "\u0000", "\\u0000", "..", "../../etc/passwd",
        "😀", "𠮷野家", "\ud83d", "\u202e\u0644\u0627", "\u200b\u200b", "ｆｕｌｌｗｉｄｔｈ", "２１００００００００１", "ア".repeat(300),
        "<script>alert(1)</script>", "${jndi:ldap://x/a}", "{{7*7}}", "a".repeat(5000), "2026-02-30", "2026-13-01",
        "99999-01-01", "0000-00-00", "2026-1-1", "yesterday", "25:61", "10:00:00", "-0", "+1", "0x10", "1,2", "[]", "{}",
    };
    private static final String[] FIELDS = {
        "slotId", "noticeNumber", "birthDate", "override", "reason", "name", "role", "id", "kind", "address", "from",
        "to", "startTime", "endTime", "counters", "perCounter", "weekdays", "quotaWeb", "quotaPhone", "displaced",
        "phone", "channel", "code", "holdId", "dryRun", "__proto__", "",
    };
    private static final String[] TYPES = {
        "application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/json; charset=shift_jis", "text/csv", "application/xml", "", "*/*", "application/json;;;",
    };

    private static String odd(Random r) {
        return ODD[r.nextInt(ODD.length)];
    }

    /** A JSON value of the wrong kind, or a number no real id can be. */
    private static Object badValue(Random r) {
        switch (r.nextInt(9)) {
            case 0: return odd(r);
            case 1: return -r.nextInt(1000);
            case 2: return r.nextDouble() * 1000 + 0.5;
            case 3: return 1_000_000_000_000_000L + r.nextInt(1_000_000);
            case 4: return r.nextBoolean();
            case 5: return new io.vertx.core.json.JsonArray().add(odd(r));
            case 6: return new JsonObject().put(FIELDS[r.nextInt(FIELDS.length)], odd(r));
            case 7: return null;
            default: return Long.MIN_VALUE;
        }
    }

    private static String body(Random r) {
        switch (r.nextInt(14)) {
            case 0: return "{";
            case 1: return "{\"slotId\":";
            case 2: return "[1,2";
            case 3: return "nul";
            case 4: return "\"just a string\"";
            case 5: return "[" + "[".repeat(5000) + "]".repeat(5000) + "]";
            case 6: return "{\"a\":" + "{\"a\":".repeat(3000) + "1" + "}".repeat(3001);
            case 7: return "{\"slotId\": 1e99999}";
            case 8: return "x".repeat(65 * 1024 + r.nextInt(1024)); // beyond the 64 KiB limit
            case 9: {
                String f = FIELDS[r.nextInt(FIELDS.length)];
                return "{\"" + f + "\": -1, \"" + f + "\": \"" + "dup" + "\"}"; // duplicate keys
            }
            case 10: return "\u0000\u0001\u0002";
            case 11: return new String(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, (byte) 0x28}, StandardCharsets.ISO_8859_1);
            default: {
                JsonObject o = new JsonObject();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    o.put(FIELDS[r.nextInt(FIELDS.length)], badValue(r));
                }
                return o.encode();
            }
        }
    }

    private static String pathValue(String name, Random r) {
        switch (r.nextInt(6)) {
            case 0: return URLEncoder.encode(odd(r), StandardCharsets.UTF_8);
            case 1: return "999999999";
            case 2: return UUID.randomUUID().toString();
            case 3: return "0000000000";
            case 4: return "%2e%2e%2f" + name;
            default: return URLEncoder.encode(odd(r) + odd(r), StandardCharsets.UTF_8);
        }
    }

    private static String query(Random r) {
        StringBuilder q = new StringBuilder();
        int n = r.nextInt(5);
        String[] names = {"from", "to", "channel", "noticeNumber", "phone", "code", "dryRun", "lang", "v", odd(r)};
        for (int i = 0; i < n; i++) {
            String name = names[r.nextInt(names.length)];
            String value = URLEncoder.encode(odd(r), StandardCharsets.UTF_8);
            q.append(q.length() == 0 ? "?" : "&").append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=').append(value);
            if (r.nextInt(3) == 0) {
                q.append('&').append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append("=2026-12-01"); // duplicated
            }
        }
        return q.toString();
    }

    private static String twilioForm(Random r) {
        String[] names = {"CallSid", "AccountSid", "From", "To", "Digits", "SpeechResult", "CallStatus", "Confidence", "Caller"};
        StringBuilder f = new StringBuilder();
        int n = r.nextInt(8);
        for (int i = 0; i < n; i++) {
            String name = names[r.nextInt(names.length)];
            f.append(f.length() == 0 ? "" : "&").append(name).append('=').append(URLEncoder.encode(odd(r), StandardCharsets.UTF_8));
            if (r.nextBoolean()) {
                f.append('&').append(name).append('=').append(URLEncoder.encode(odd(r), StandardCharsets.UTF_8));
            }
        }
        return r.nextInt(10) == 0 ? "%%%&&==" : f.toString();
    }

    static HttpRequest request(String base, Route route, String token, Random r, long slot) {
        String path = route.path;
        Matcher params = Pattern.compile("\\{([^}]+)}").matcher(path);
        StringBuilder filled = new StringBuilder();
        while (params.find()) {
            params.appendReplacement(filled, Matcher.quoteReplacement(pathValue(params.group(1), r)));
        }
        params.appendTail(filled);
        boolean twilio = route.path.startsWith("/twilio/");
        String uri = base + filled + query(r);
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30));
        } catch (IllegalArgumentException e) {
            b = HttpRequest.newBuilder(URI.create(base + filled.toString().replaceAll("[^A-Za-z0-9/_-]", "_"))).timeout(Duration.ofSeconds(30));
        }
        if (token != null) {
            b.header("Authorization", token.startsWith("Bearer") ? token : "Bearer " + token);
        }
        if (r.nextInt(4) == 0) {
            b.header("Idempotency-Key", r.nextBoolean() ? UUID.randomUUID().toString() : URLEncoder.encode(odd(r), StandardCharsets.UTF_8));
        }
        if (r.nextInt(5) == 0) {
            b.header("Accept-Language", URLEncoder.encode(odd(r), StandardCharsets.UTF_8));
        }
        String text;
        String type;
        if (twilio) {
            text = twilioForm(r);
            type = r.nextInt(5) == 0 ? TYPES[r.nextInt(TYPES.length)] : "application/x-www-form-urlencoded";
            if (r.nextBoolean()) {
                b.header("X-Twilio-Signature", r.nextBoolean() ? "AAAA" : URLEncoder.encode(odd(r), StandardCharsets.UTF_8));
            }
        } else {
            text = body(r);
            type = TYPES[r.nextInt(TYPES.length)];
        }
        if (!type.isEmpty()) {
            b.header("Content-Type", type);
        }
        boolean withBody = !route.method.equals("GET") || r.nextInt(10) == 0;
        return b.method(route.method, withBody ? HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)
                : HttpRequest.BodyPublishers.noBody()).build();
    }

    /** A checksum of every table's rows. */
    static Map<String, String> checksums(Config.DatabaseUrl db) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')"
                        + " FROM \"" + table + "\" t")) {
                    rs.next();
                    out.put(table, rs.getString(1));
                }
            }
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
