package madoguchi;

import io.vertx.core.json.JsonArray;
import madoguchi.support.BookingLoad;
import madoguchi.support.ServiceProcess;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crashes: the packaged service runs as its own process on an external PostgreSQL while six
 * client threads book, hold, confirm, move and cancel; it is killed with SIGKILL at random
 * moments (some while it is still starting) and started again, {@code crash.kills} times (20 in
 * {@code mvn verify}, 100 with {@code -Plong}). Then: every acknowledged booking is in the
 * database, every card holds what it was last told, no slot is above its limit, the seat
 * counters equal the rows, the restarted allocator shows the database's free seats, and seats
 * of holds left behind by the crashes come back once the holds run out.
 */
class CrashIT {
    static final long FIRST = 5_300_000_000L;

    @Test
    void killedAtRandomItLosesNothingAndOverbooksNothing() throws Exception {
        int kills = Integer.getInteger("crash.kills", 20);
        int maxUp = Integer.getInteger("crash.maxUpMillis", 2500);
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Config.DatabaseUrl db = TestDatabase.fresh();
        Setup setup = Setup.make(db, "crash", FIRST, 120);

        int port = TestService.freePort();
        ServiceProcess[] current = new ServiceProcess[1];
        List<Integer> exitCodes = new ArrayList<>();
        int killedWhileStarting = 0;
        long started = System.nanoTime();
        current[0] = ServiceProcess.start(db, port, Map.of(), "crash-0");
        BookingLoad load = new BookingLoad(setup.slots, setup.tokens, 6, t -> "http://127.0.0.1:" + port, seed,
                Duration.ofSeconds(10)).start();
        try {
            for (int k = 1; k <= kills; k++) {
                if (k > 1) {
                    current[0] = ServiceProcess.launch(db, port, Map.of(), "crash-" + k);
                    if (random.nextInt(5) == 0) {
                        // a crash during start-up (migrations, loading the allocator, listening)
                        Thread.sleep(random.nextInt(5000));
                        killedWhileStarting++;
                    } else {
                        current[0].awaitReady(Duration.ofSeconds(90));
                        Thread.sleep(300 + random.nextInt(Math.max(1, maxUp - 300)));
                    }
                } else {
                    Thread.sleep(300 + random.nextInt(Math.max(1, maxUp - 300)));
                }
                exitCodes.add(current[0].kill());
            }
            current[0] = ServiceProcess.start(db, port, Map.of(), "crash-final");
            long before = load.acknowledged.get();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (load.acknowledged.get() < before + 20 && System.nanoTime() < deadline) {
                Thread.sleep(50); // let the clients settle what they did not know
            }
        } finally {
            load.close();
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        try {
            for (int code : exitCodes) {
                assertEquals(137, code, "killed by SIGKILL (128 + 9)");
            }
            List<String> problems = load.violations(db);
            assertTrue(problems.isEmpty(), String.join("\n", problems));
            assertEquals(0, load.serverErrors.get(), "answers other than 2xx/4xx/503+Retry-After: " + load.serverErrorSamples);
            assertTrue(load.acknowledgedCodes.size() > kills, "the clients got bookings through: " + load.summary());
            // the restarted allocator shows exactly the seats the database has free
            assertEquals(dbRemaining(db), served(current[0], setup));

            // holds the crashes left behind: their time runs out while the service is down
            current[0].kill();
            int abandoned;
            try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement()) {
                abandoned = st.executeUpdate("UPDATE holds SET expires_at = now() - interval '1 second' WHERE status = 'active'");
            }
            current[0] = ServiceProcess.start(db, port, Map.of(), "crash-expiry");
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (heldSeats(db) > 0 && System.nanoTime() < until) {
                Thread.sleep(100); // the service's own expiry runs every half second
            }
            assertEquals(0, heldSeats(db), "held seats came back after the holds ran out");
            try (Connection c = TestDatabase.connect(db)) {
                List<String> seats = BookingLoad.seatViolations(c);
                assertTrue(seats.isEmpty(), String.join("\n", seats));
            }
            assertEquals(dbRemaining(db), served(current[0], setup));

            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("kills", exitCodes.size());
            figures.put("killedWhileStarting", killedWhileStarting);
            figures.put("seconds", seconds);
            figures.put("requests", load.requests.get());
            figures.put("acknowledgedChanges", load.acknowledged.get());
            figures.put("acknowledgedBookings", load.acknowledgedCodes.size());
            figures.put("bookingsLost", load.lostBookings(db));
            figures.put("overbookedSlots", BookingLoad.overbookedSlots(db));
            figures.put("abandonedHoldsFreed", abandoned);
            figures.put("seed", seed);
            figures.put("outcomes", load.summary());
            Figures.record("crash", figures);
        } finally {
            current[0].close();
        }
    }

    static int heldSeats(Config.DatabaseUrl db) throws Exception {
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT coalesce(sum(held), 0) FROM slots")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static Map<Long, Integer> dbRemaining(Config.DatabaseUrl db) throws Exception {
        try (Connection c = TestDatabase.connect(db)) {
            return BookingLoad.webRemaining(c);
        }
    }

    /** Free web seats per slot as the running service's allocator shows them. */
    static Map<Long, Integer> served(ServiceProcess service, Setup setup) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(service.base()
                + "/api/v1/sites/" + setup.siteId + "/availability?from=" + setup.day + "&to=" + setup.day + "&channel=web"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Map<Long, Integer> out = new HashMap<>();
        JsonArray slots = new JsonArray(r.body());
        for (int i = 0; i < slots.size(); i++) {
            out.put(slots.getJsonObject(i).getLong("slotId"), slots.getJsonObject(i).getInteger("remaining"));
        }
        return out;
    }

    /** A site with eight slots of four seats the day after tomorrow, and verified residents. */
    record Setup(String siteId, LocalDate day, List<Long> slots, Map<Long, String> tokens) {
        static Setup make(Config.DatabaseUrl db, String siteId, long firstNotice, int cards) throws Exception {
            try (TestService service = TestService.start(db, Map.of(), Clock.systemUTC())) {
                return make(service, siteId, firstNotice, cards);
            }
        }

        static Setup make(TestService service, String siteId, long firstNotice, int cards) {
            LocalDate day = LocalDate.now(madoguchi.domain.BookingWindow.TOKYO).plusDays(2);
            {
                var site = service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new io.vertx.core.json.JsonObject()
                        .put("id", siteId).put("name", new io.vertx.core.json.JsonObject().put("ja", "試験").put("en", "Test"))
                        .put("kind", "popup").put("address", "川崎市"));
                assertEquals(201, site.status(), site.body());
                var cap = service.put("/api/v1/admin/sites/" + siteId + "/capacity", TestService.ADMIN_TOKEN,
                        new io.vertx.core.json.JsonObject().put("from", day.toString()).put("to", day.toString())
                                .put("startTime", "10:00").put("endTime", "12:00").put("counters", 1).put("perCounter", 4));
                assertEquals(200, cap.status(), cap.body());
                var slots = service.get("/api/v1/sites/" + siteId + "/availability?from=" + day + "&to=" + day + "&channel=web", null).array();
                List<Long> ids = new ArrayList<>();
                for (int i = 0; i < slots.size(); i++) {
                    ids.add(slots.getJsonObject(i).getLong("slotId"));
                }
                assertEquals(8, ids.size());
                service.importCards(siteId, firstNotice, cards);
                Map<Long, String> tokens = new HashMap<>();
                for (int i = 0; i < cards; i++) {
                    tokens.put(firstNotice + i, service.verify(firstNotice + i));
                }
                return new Setup(siteId, day, ids, tokens);
            }
        }
    }

    /** Appends the figures of a run to target/reliability/*.json for RELIABILITY.md. */
    static final class Figures {
        static void record(String name, Map<String, Object> figures) throws Exception {
            Path dir = Path.of("target", "reliability");
            Files.createDirectories(dir);
            String line = new io.vertx.core.json.JsonObject(figures).encode() + "\n";
            Files.writeString(dir.resolve(name + ".jsonl"), line, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            System.out.println("[" + name + "] " + line.trim());
        }
    }
}
