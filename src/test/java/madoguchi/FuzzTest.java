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

    /**
     * A documented operation with the inputs openapi.yaml gives it: query parameters, path
     * parameters (from the path), the JSON body's top-level fields, or a Twilio form.
     */
    record Route(String method, String path, List<String> query, List<Field> body, boolean form) {
        List<String> pathParams() {
            List<String> out = new ArrayList<>();
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(path);
            while (m.find()) {
                out.add(m.group(1));
            }
            return out;
        }
    }

    /** A JSON body field: {@code kind} is string, integer, number, boolean, array, object, or names ({ja, en}). */
    record Field(String name, String kind) {
    }

    static List<Route> routes() throws IOException {
        List<Route> out = new ArrayList<>();
        try (InputStream in = FuzzTest.class.getResourceAsStream("/openapi.yaml")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            boolean inPaths = false;
            String path = null;
            Pattern p = Pattern.compile("^  (/[^:]*):\\s*$");
            Pattern m = Pattern.compile("^    (get|post|put|delete|patch):.*$");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
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
                    List<String> operation = new ArrayList<>();
                    for (int j = i + 1; j < lines.length && (lines[j].isBlank() || lines[j].startsWith("      ")); j++) {
                        operation.add(lines[j]);
                    }
                    out.add(operation(mm.group(1).toUpperCase(), path, operation, lines));
                }
            }
        }
        return out;
    }

    private static Route operation(String method, String path, List<String> lines, String[] all) {
        List<String> query = new ArrayList<>();
        Matcher q = Pattern.compile("\\{name: (\\w+), in: query").matcher(String.join("\n", lines));
        while (q.find()) {
            query.add(q.group(1));
        }
        List<String> request = new ArrayList<>();
        boolean inBody = false;
        for (String line : lines) {
            if (line.startsWith("      requestBody:")) {
                inBody = true;
            } else if (line.startsWith("      ") && !line.startsWith("       ")) {
                inBody = false;
            }
            if (inBody) {
                request.add(line);
            }
        }
        String body = String.join("\n", request);
        boolean form = body.contains("#/components/requestBodies/TwilioForm");
        List<Field> fields = form ? List.of() : properties(request);
        Matcher ref = Pattern.compile("schema: \\{\\$ref: '#/components/schemas/(\\w+)'}").matcher(body);
        if (!form && ref.find()) {
            fields = properties(schema(all, ref.group(1)));
        }
        return new Route(method, path, query, fields, form);
    }

    /** The lines of components.schemas.{name}. */
    private static List<String> schema(String[] all, String name) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < all.length; i++) {
            if (all[i].equals("    " + name + ":")) {
                for (int j = i + 1; j < all.length && all[j].startsWith("      "); j++) {
                    out.add(all[j]);
                }
                break;
            }
        }
        return out;
    }

    /** The top-level properties of the first object schema in {@code lines} (block or inline style). */
    private static List<Field> properties(List<String> lines) {
        List<Field> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int at = line.indexOf("properties: {");
            if (at >= 0) {
                String inline = line.substring(at + "properties: ".length());
                int depth = 0;
                int start = 1;
                for (int c = 0; c < inline.length(); c++) {
                    char ch = inline.charAt(c);
                    if (ch == '{' || ch == '[') {
                        depth++;
                    } else if (ch == '}' || ch == ']') {
                        depth--;
                    }
                    if (depth == 1 && ch == ':' && start >= 0) {
                        String name = inline.substring(start, c).trim();
                        int end = c + 1;
                        int d = 0;
                        while (end < inline.length() && !(d == 0 && (inline.charAt(end) == ',' || inline.charAt(end) == '}'))) {
                            d += inline.charAt(end) == '{' || inline.charAt(end) == '[' ? 1 : inline.charAt(end) == '}' || inline.charAt(end) == ']' ? -1 : 0;
                            end++;
                        }
                        out.add(new Field(name, kind(inline.substring(c + 1, end))));
                        start = -1;
                    } else if (depth == 1 && ch == ',') {
                        start = c + 1;
                    } else if (depth == 0 && ch == '}') {
                        break;
                    }
                }
                return out;
            }
            if (line.trim().equals("properties:")) {
                int indent = line.indexOf('p') + 2;
                Pattern field = Pattern.compile("^ {" + indent + "}(\\w+): (.*)$");
                for (int j = i + 1; j < lines.size(); j++) {
                    String next = lines.get(j);
                    if (next.length() - next.stripLeading().length() < indent) {
                        break;
                    }
                    Matcher f = field.matcher(next);
                    if (f.matches()) {
                        out.add(new Field(f.group(1), kind(f.group(2))));
                    }
                }
                return out;
            }
        }
        return out;
    }

    private static String kind(String schema) {
        if (schema.contains("#/components/schemas/Names") && !schema.contains("type: string")) {
            return "names";
        }
        Matcher t = Pattern.compile("type: (\\w+)").matcher(schema);
        return t.find() ? t.group(1) : "string";
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
            Map<String, String> after = checksums(db);
            assertEquals(before, after, "malformed requests changed a table");
            assertTrue(sent.get() >= 10_000);

            Map<String, Integer> byStatus = new TreeMap<>();
            statuses.forEach((k, v) -> byStatus.merge(k.substring(k.lastIndexOf(' ') + 1), v.get(), Integer::sum));
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("requests", sent.get());
            figures.put("routes", routes.size());
            figures.put("seed", SEED);
            figures.put("byStatus", byStatus.toString());
            figures.put("serverErrors", byStatus.entrySet().stream().filter(e -> e.getKey().startsWith("5")).mapToInt(Map.Entry::getValue).sum());
            figures.put("tablesChanged", before.keySet().stream().filter(t -> !before.get(t).equals(after.get(t))).count());
            CrashIT.Figures.record("fuzz", figures);
        }
    }

    // ---- hostile text, form-field counts and extreme values, in otherwise well-formed requests ----

    /** Requests of the families below, at least 10,000 in all. */
    private static final int CONTROL_PER_ROUTE = 75;
    private static final int EXTREMES_PER_ROUTE = 60;
    private static final int FORMS_PER_TWILIO_ROUTE = 100;
    private static final String AUTH_TOKEN = "f".repeat(32);
    private static final String PUBLIC_BASE = "http://127.0.0.1";
    /** Netty's form decoder limit (HttpServerOptions maxFormFields, Vert.x default). */
    private static final int FORM_FIELDS = 256;

    enum Family { CONTROL, EXTREMES, FORM_FIELDS }

    /**
     * The same documented routes, now with a request each handler would otherwise take — the right
     * principal's token, a plausible value in every documented field, Twilio forms signed as Twilio
     * signs them — and one input made hostile: a control character (C0, DEL, C1, a lone surrogate)
     * in one JSON field, query parameter, path parameter or form field, which must be refused with
     * a 4xx; 200 to 2,000 form fields on the Twilio routes (more than 256 is 413); extreme dates,
     * offsets and numbers in one query parameter or JSON field. No answer may be a 5xx, no text
     * written may hold a control character, and {@code /ready} still answers 200.
     */
    @Test
    void controlCharactersFormFieldCountsAndExtremesAreRefusedWithoutServerErrors() throws Exception {
        List<Route> routes = routes();
        assertTrue(routes.stream().anyMatch(r -> r.body().stream().anyMatch(f -> f.name().equals("reason"))), "body fields read: " + routes);
        assertTrue(routes.stream().anyMatch(r -> r.query().contains("seatsPerDay") || r.query().contains("actor")), "query read: " + routes);
        Config.DatabaseUrl db = TestDatabase.fresh();
        Map<String, String> env = Map.of("TWILIO_ACCOUNT_SID", "AC" + "0".repeat(32), "TWILIO_AUTH_TOKEN", AUTH_TOKEN,
                "PUBLIC_BASE_URL", PUBLIC_BASE, "TWILIO_API_BASE_URL", "http://127.0.0.1:9"); // nothing leaves the machine
        try (TestService service = TestService.start(db, env, Clock.systemUTC())) {
            LocalDate day = LocalDate.now(madoguchi.domain.BookingWindow.TOKYO).plusDays(3);
            long slot = service.siteWithOneSlot("fuzz", day, 2, 2);
            service.importCards("fuzz", 5_500_000_000L, 5);
            Plausible plausible = new Plausible(day, slot, service.verify(5_500_000_000L),
                    service.post("/api/v1/admin/users", TestService.ADMIN_TOKEN, new JsonObject().put("name", "fuzz-operator")
                            .put("role", "operator")).json().getString("token"));

            List<Object[]> jobs = new ArrayList<>();
            for (Route route : routes) {
                jobs.add(new Object[] {route, Family.CONTROL, CONTROL_PER_ROUTE});
                jobs.add(new Object[] {route, Family.EXTREMES, EXTREMES_PER_ROUTE});
                if (route.form()) {
                    jobs.add(new Object[] {route, Family.FORM_FIELDS, FORMS_PER_TWILIO_ROUTE});
                }
            }
            Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
            Map<String, String> firstFailures = new ConcurrentHashMap<>();
            AtomicInteger sent = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> running = new ArrayList<>();
            Random seeds = new Random(SEED + 1);
            for (Object[] job : jobs) {
                long jobSeed = seeds.nextLong();
                running.add(pool.submit(() -> {
                    Random r = new Random(jobSeed);
                    Route route = (Route) job[0];
                    Family family = (Family) job[1];
                    for (int i = 0; i < (Integer) job[2]; i++) {
                        Hostile h = hostile(service.base(), route, family, plausible, r);
                        sent.incrementAndGet();
                        try {
                            HttpResponse<String> answer = HTTP.send(h.request, HttpResponse.BodyHandlers.ofString());
                            counts.computeIfAbsent(family + " " + answer.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                            String problem = judge(route, answer);
                            if (problem == null) {
                                problem = h.expect.apply(answer.statusCode());
                            }
                            // the first failure of each route and family, so that one kind does not hide the others
                            if (problem != null && firstFailures.size() < 80) {
                                firstFailures.putIfAbsent(family + " " + route.method() + " " + route.path(), problem + " [" + family
                                        + ", " + h.what + "]: " + h.request.method() + " " + abbreviate(h.request.uri().toString())
                                        + " -> " + answer.statusCode() + " " + abbreviate(answer.body()));
                            }
                        } catch (IOException e) {
                            counts.computeIfAbsent(family + " closed", k -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> job : running) {
                job.get();
            }
            pool.shutdown();
            new TreeMap<>(firstFailures).values().forEach(f -> System.out.println("[fuzz-failure] " + f.replace('\n', ' ')));
            assertTrue(firstFailures.isEmpty(), () -> firstFailures.size() + " routes and families failed (each printed as"
                    + " [fuzz-failure]), e.g. " + firstFailures.values().iterator().next());
            assertTrue(sent.get() >= 10_000, "requests: " + sent.get());
            assertEquals(0, storedControlCharacters(db), "a control character was written to the database");
            assertEquals(200, service.get("/ready", null).status());

            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("requests", sent.get());
            for (Family f : Family.values()) {
                Map<String, Integer> byStatus = new TreeMap<>();
                counts.forEach((k, v) -> {
                    if (k.startsWith(f + " ")) {
                        byStatus.put(k.substring(k.indexOf(' ') + 1), v.get());
                    }
                });
                figures.put(f.name().toLowerCase(), byStatus.values().stream().mapToInt(Integer::intValue).sum() + " " + byStatus);
            }
            figures.put("routes", routes.size());
            figures.put("seed", SEED + 1);
            figures.put("serverErrors", counts.entrySet().stream().filter(e -> e.getKey().matches(".* 5\\d\\d"))
                    .mapToInt(e -> e.getValue().get()).sum());
            figures.put("storedControlCharacters", storedControlCharacters(db));
            CrashIT.Figures.record("fuzz-hostile", figures);
        }
    }

    /** One hostile request, what it is, and what its status must be (null when acceptable). */
    private record Hostile(HttpRequest request, String what, java.util.function.IntFunction<String> expect) {
    }

    /** A value each documented input takes without complaint, so the one hostile input is what is judged. */
    private record Plausible(LocalDate day, long slot, String resident, String operator) {
        Object json(String field, String kind) {
            switch (field) {
                case "noticeNumber": return "5500000001";
                case "birthDate": return "1980-01-01";
                case "slotId": return slot;
                case "from": case "to": case "date": return day.toString();
                case "countedAt": return day.minusDays(5).toString();
                case "startTime": return "10:00";
                case "endTime": return "10:15";
                case "siteId": return "fuzz";
                case "kind": return "popup";
                case "role": return "operator";
                case "displaced": return "keep";
                // empty, so refused: a password would be hashed (PBKDF2, about a second each here)
                // and the other fields, the ones judged, are read before it
                case "password": return "";
                case "id": return "fuzz-new";
                case "name": return "names".equals(kind) ? new JsonObject().put("ja", "会場").put("en", "Site") : "fuzz-user";
                case "weekdays": return new io.vertx.core.json.JsonArray().add("mon");
                default: break;
            }
            switch (kind) {
                case "integer": case "number": return 1;
                case "boolean": return false;
                case "names": return new JsonObject().put("ja", "会場").put("en", "Site");
                case "object": return new JsonObject();
                case "array": return new io.vertx.core.json.JsonArray();
                default: return "fuzz " + field;
            }
        }

        String query(String name) {
            switch (name) {
                case "from": case "to": case "date": case "appliedBy": return day.toString();
                case "deadline": return day.plusDays(30).toString();
                case "channel": return "web";
                case "dryRun": return "true";
                case "format": return "json";
                case "limit": return "5";
                case "lang": return "ja";
                case "noticeNumber": return "5500000001";
                case "phone": return "09012345678";
                case "code": return "0000000000";
                case "n": return "menu";
                case "booking": case "before": case "round": return "1";
                case "seatsPerDay": return "10";
                case "bookingRate": case "noShowRate": return "0.5";
                default: return "fuzz";
            }
        }

        String path(String name) {
            switch (name) {
                case "siteId": return "fuzz";
                case "slotId": return Long.toString(slot);
                case "code": return "0000000000";
                case "holdId": return "00000000-0000-0000-0000-000000000000";
                case "name": return "app.js";
                default: return "1";
            }
        }

        /** The token of the principal the route is for. */
        String token(String path) {
            if (path.startsWith("/api/v1/admin/")) {
                return TestService.ADMIN_TOKEN;
            }
            if (path.startsWith("/api/v1/operator/") || path.startsWith("/api/v1/staff/")) {
                return operator;
            }
            return path.startsWith("/api/") ? resident : null;
        }
    }

    /** Every C0 control (tab and newline too), DEL and every C1 control. */
    private static final String CONTROLS;

    static {
        StringBuilder c = new StringBuilder();
        for (char ch = 0; ch < 0x20; ch++) {
            c.append(ch);
        }
        for (char ch = 0x7f; ch <= 0x9f; ch++) {
            c.append(ch);
        }
        CONTROLS = c.toString();
    }

    /** Extreme values: years ±999999999 (with offsets ±18:00), the ends of double and long, NaN, -0. */
    private static final String[] EXTREMES = {
        "+999999999-12-31", "-999999999-01-01", "999999999-12-31", "+999999999-12-31T23:59:59.999999999-18:00",
        "-999999999-01-01T00:00:00+18:00", "+999999999-12-31T23:59:59+18:00", "-999999999-01-01T00:00:00-18:00",
        "0000-01-01", "0000-01-01T00:00:00+18:00", "9999-12-31", "9999-12-31T23:59:59-18:00", "0001-01-01", "-0001-01-01",
        "9999-12", "0000-01", "+10000-01", "1e-308", "1e308", "-1e308", "4.9e-324", "1.7976931348623157e308", "1e-400",
        "0x1p-1074", "NaN", "-NaN", "Infinity", "-Infinity", "-0", "-0.0", "0", "0.0000001", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "2147483648", "-2147483649",
        "99999999999999999999999999999999", "1e19", "00000000000000000000001", "+1", "0.1e1",
    };

    private static Hostile hostile(String base, Route route, Family family, Plausible plausible, Random r) {
        Map<String, String> query = new LinkedHashMap<>();
        route.query().forEach(q -> query.put(q, plausible.query(q)));
        Map<String, String> path = new LinkedHashMap<>();
        route.pathParams().forEach(p -> path.put(p, plausible.path(p)));
        JsonObject body = new JsonObject();
        route.body().forEach(f -> body.put(f.name(), plausible.json(f.name(), f.kind())));
        Map<String, String> form = new LinkedHashMap<>();
        if (route.form()) {
            form.put("CallSid", "CA" + Long.toHexString(r.nextLong() | Long.MIN_VALUE) + "0".repeat(16));
            form.put("AccountSid", "AC" + "0".repeat(32));
            form.put("From", "+8190" + (10_000_000 + r.nextInt(89_999_999)));
            form.put("To", "+81445550000");
            form.put("CallStatus", "in-progress");
            form.put("Digits", "1");
            if (route.path().startsWith("/twilio/sms")) {
                form.put("Body", "HELP");
                form.put("MessageSid", "SM" + "0".repeat(32));
                form.put("MessageStatus", "delivered");
            }
        }
        String what;
        String rawJson = null;
        java.util.function.IntFunction<String> expect;
        if (family == Family.CONTROL) {
            String bad = hostileText(r);
            List<String> targets = new ArrayList<>();
            path.keySet().forEach(p -> targets.add("path:" + p));
            query.keySet().forEach(q -> targets.add("query:" + q));
            targets.add("query:" + (r.nextBoolean() ? "undocumented" : bad));
            route.body().stream().filter(f -> f.kind().equals("string")).forEach(f -> targets.add("json:" + f.name()));
            route.body().stream().filter(f -> f.kind().equals("names")).forEach(f -> targets.add("names:" + f.name()));
            form.keySet().forEach(f -> targets.add("form:" + f));
            String target = targets.get(r.nextInt(targets.size()));
            String name = target.substring(target.indexOf(':') + 1);
            if (target.startsWith("form:Body")) {
                bad = bad.replaceAll("[\\t\\n\\r]", "\u0000"); // a text's own line breaks are allowed
            }
            if (bad.chars().anyMatch(ch -> Character.isSurrogate((char) ch)) && !target.startsWith("json:") && !target.startsWith("names:")) {
                bad = "\u0000"; // a lone surrogate only travels as a JSON escape
            }
            String value = bad;
            switch (target.substring(0, target.indexOf(':'))) {
                case "path": path.put(name, value); break;
                case "query": query.put(name, value); break;
                case "json": body.put(name, "@@hostile@@"); break;
                case "names": body.put(name, new JsonObject().put("ja", r.nextBoolean() ? "@@hostile@@" : "会場")
                        .put("en", "@@hostile@@")); break;
                default: form.put(name, value);
            }
            if (target.startsWith("json:") || target.startsWith("names:")) {
                rawJson = body.encode().replace("\"@@hostile@@\"", jsonString(value));
            }
            what = target + "=" + escape(value);
            expect = status -> status >= 400 && status < 500 ? null : "a control character was not refused";
        } else if (family == Family.EXTREMES) {
            String value = EXTREMES[r.nextInt(EXTREMES.length)];
            List<String> targets = new ArrayList<>();
            query.keySet().forEach(q -> targets.add("query:" + q));
            targets.add("query:" + new String[] {"from", "to", "date", "limit", "before", "seatsPerDay", "bookingRate", "noShowRate",
                "appliedBy", "deadline", "n", "round", "booking"}[r.nextInt(13)]);
            route.body().stream().filter(f -> !f.kind().equals("string") && !f.kind().equals("names")
                    || f.name().matches("from|to|date|countedAt|birthDate|startTime|endTime")).forEach(f -> targets.add("json:" + f.name()));
            String target = targets.get(r.nextInt(targets.size()));
            String name = target.substring(target.indexOf(':') + 1);
            if (target.startsWith("query:")) {
                query.put(name, value);
            } else {
                body.put(name, "@@extreme@@");
                boolean number = value.matches("[-+]?[0-9.]+(e[-+]?[0-9]+)?") && !value.startsWith("+") && !value.matches(".*\\..*\\..*")
                        && !value.matches("-?0[0-9].*");
                rawJson = body.encode().replace("\"@@extreme@@\"", number && r.nextBoolean() ? value : jsonString(value));
            }
            what = target + "=" + value;
            expect = status -> null;
        } else {
            int fields = r.nextInt(4) == 0 ? FORM_FIELDS - 2 + r.nextInt(5) : 200 + r.nextInt(1_801);
            for (int i = form.size(); i < fields; i++) {
                form.put("Field" + i, Integer.toString(i));
            }
            what = fields + " form fields";
            expect = status -> fields > FORM_FIELDS ? (status == 413 ? null : "too many form fields not refused as 413")
                    : (status < 500 ? null : "server error");
        }

        StringBuilder uri = new StringBuilder(route.path());
        for (Map.Entry<String, String> p : path.entrySet()) {
            int at = uri.indexOf("{" + p.getKey() + "}");
            uri.replace(at, at + p.getKey().length() + 2, URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        String q = query.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(java.util.stream.Collectors.joining("&"));
        String pathAndQuery = uri + (q.isEmpty() ? "" : "?" + q);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(30));
        String token = plausible.token(route.path());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (route.form()) {
            b.header("Content-Type", "application/x-www-form-urlencoded");
            b.header("X-Twilio-Signature", new madoguchi.telephony.TwilioSigner(AUTH_TOKEN).sign(PUBLIC_BASE + pathAndQuery, form));
            String encoded = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(java.util.stream.Collectors.joining("&"));
            return new Hostile(b.method(route.method(), HttpRequest.BodyPublishers.ofString(encoded)).build(), what, expect);
        }
        boolean withBody = !route.body().isEmpty();
        if (withBody) {
            b.header("Content-Type", "application/json");
        }
        return new Hostile(b.method(route.method(), withBody ? HttpRequest.BodyPublishers.ofString(rawJson != null ? rawJson : body.encode(),
                StandardCharsets.UTF_8) : HttpRequest.BodyPublishers.noBody()).build(), what, expect);
    }

    /** Text with a control character or a lone surrogate, alone or inside ordinary text. */
    private static String hostileText(Random r) {
        String bad = r.nextInt(8) == 0 ? (r.nextBoolean() ? "\ud800" : "\udfff")
                : String.valueOf(CONTROLS.charAt(r.nextInt(CONTROLS.length())));
        switch (r.nextInt(3)) {
            case 0: return bad;
            case 1: return "窓口" + bad + "2100000001";
            default: return "ok " + bad;
        }
    }

    /** A JSON string literal, every non-ASCII or control character as an escape (so lone surrogates survive). */
    private static String jsonString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static String escape(String s) {
        return jsonString(s);
    }

    /** Text cells (and JSON documents) in every table holding a control character or an escaped one. */
    static long storedControlCharacters(Config.DatabaseUrl db) throws Exception {
        long found = 0;
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement()) {
            List<String[]> columns = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT table_name, column_name, data_type FROM information_schema.columns"
                    + " WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json')")) {
                while (rs.next()) {
                    columns.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            for (String[] col : columns) {
                String test = col[2].startsWith("json")
                        ? "\"" + col[1] + "\"::text ~ '\\\\u00([01][0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])|[\\x01-\\x1f\\x7f-\\x9f]'"
                        : "\"" + col[1] + "\" ~ '[\\x01-\\x1f\\x7f-\\x9f]'";
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + col[0] + "\" WHERE " + test)) {
                    rs.next();
                    found += rs.getLong(1);
                }
            }
        }
        return found;
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

    /**
     * A checksum of every table's rows, but the abuse limits' counts: counting requests, even
     * malformed ones (a sign-in that fails, a source that keeps trying), is what they are for, and
     * the change limit writes its counts in batches whenever its timer fires.
     */
    static Map<String, String> checksums(Config.DatabaseUrl db) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            tables.remove("attempt_counts");
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
