package madoguchi;

import madoguchi.support.BookingLoad;
import madoguchi.support.TcpProxy;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL goes away during booking load (every connection reset, new ones refused, through
 * {@link TcpProxy}) and comes back, three times. While it is away, writes answer 503 with
 * Retry-After — never a 500 — within a bounded time, and {@code /ready} says 503; afterwards
 * the same service books again by itself, and nothing acknowledged is lost or overbooked.
 */
class DatabaseOutageTest {
    private static final int OUTAGES = 3;
    private static final Duration BOUND = Duration.ofSeconds(13);

    @Test
    void theServiceRidesOutDatabaseOutagesAndRecoversByItself() throws Exception {
        Config.DatabaseUrl db = TestDatabase.fresh();
        try (TcpProxy proxy = new TcpProxy(db.host(), db.port());
             TestService service = TestService.start(new Config.DatabaseUrl("127.0.0.1", proxy.port(), db.database(),
                     db.user(), db.password()), Map.of("MADOGUCHI_SHARDS", "2"), Clock.systemUTC())) {
            CrashIT.Setup setup = CrashIT.Setup.make(service, "outage", 5_400_000_000L, 80);
            BookingLoad load = new BookingLoad(setup.slots(), setup.tokens(), 4, t -> service.base(), 42,
                    Duration.ofSeconds(30)).start();
            long longestDown = 0;
            long longestRecovery = 0;
            Map<Integer, Integer> readyWhileDown = new TreeMap<>();
            Map<String, Integer> outcomesDown = new TreeMap<>();
            try {
                awaitBookings(load, 10, Duration.ofSeconds(30));
                for (int i = 0; i < OUTAGES; i++) {
                    Map<String, Integer> before = snapshot(load);
                    load.longestNanos.set(0);
                    proxy.cut();
                    long cutAt = System.nanoTime();
                    while (System.nanoTime() - cutAt < Duration.ofSeconds(4).toNanos()) {
                        TestService.Response ready = service.get("/ready", null);
                        readyWhileDown.merge(ready.status(), 1, Integer::sum);
                        if (ready.status() == 503) {
                            assertEquals("database_unreachable", ready.json().getString("error"));
                            assertTrue(ready.header("Retry-After") != null);
                        }
                        Thread.sleep(200); // sampling /ready while the database is away
                    }
                    proxy.resume();
                    longestDown = Math.max(longestDown, load.longestNanos.get());
                    diff(before, snapshot(load)).forEach((k, v) -> outcomesDown.merge(k, v, Integer::sum));
                    long resumed = System.nanoTime();
                    awaitBookings(load, 5, Duration.ofSeconds(30));
                    longestRecovery = Math.max(longestRecovery, System.nanoTime() - resumed);
                    assertEquals(200, service.get("/ready", null).status());
                }
            } finally {
                load.close();
            }
            List<String> problems = load.violations(db);
            assertTrue(problems.isEmpty(), String.join("\n", problems));
            assertEquals(0, load.serverErrors.get(), "only 503 with Retry-After may be a 5xx: " + load.serverErrorSamples);
            assertTrue(readyWhileDown.getOrDefault(503, 0) > 0, "/ready reported the outage: " + readyWhileDown);
            assertTrue(outcomesDown.keySet().stream().anyMatch(k -> k.startsWith("503")),
                    "writes were refused with 503 while the database was away: " + outcomesDown);
            assertTrue(longestDown < BOUND.toNanos(), "the longest answer during an outage took "
                    + Duration.ofNanos(longestDown).toMillis() + " ms");

            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("outages", OUTAGES);
            figures.put("secondsEach", 4);
            figures.put("longestAnswerDuringOutageMs", Duration.ofNanos(longestDown).toMillis());
            figures.put("longestRecoveryMs", Duration.ofNanos(longestRecovery).toMillis());
            figures.put("readyWhileDown", readyWhileDown.toString());
            figures.put("outcomesWhileDown", outcomesDown.toString());
            figures.put("acknowledgedBookings", load.acknowledgedCodes.size());
            figures.put("bookingsLost", load.lostBookings(db));
            figures.put("overbookedSlots", BookingLoad.overbookedSlots(db));
            figures.put("outcomes", load.summary());
            CrashIT.Figures.record("outage", figures);
        }
    }

    /**
     * The database stops answering without failing (a black hole: connections open, no bytes):
     * nothing may hang — every request is answered within the 12 s bound, with 503 and
     * Retry-After — and when the network comes back the service books again by itself.
     */
    @Test
    void aDatabaseThatStopsAnsweringHangsNothing() throws Exception {
        Config.DatabaseUrl db = TestDatabase.fresh();
        try (TcpProxy proxy = new TcpProxy(db.host(), db.port());
             TestService service = TestService.start(new Config.DatabaseUrl("127.0.0.1", proxy.port(), db.database(),
                     db.user(), db.password()), Map.of("MADOGUCHI_SHARDS", "2"), Clock.systemUTC())) {
            CrashIT.Setup setup = CrashIT.Setup.make(service, "blackhole", 5_450_000_000L, 40);
            BookingLoad load = new BookingLoad(setup.slots(), setup.tokens(), 3, t -> service.base(), 43,
                    Duration.ofSeconds(30)).start();
            long longest;
            Map<Integer, Integer> ready = new TreeMap<>();
            Map<String, Integer> down;
            try {
                awaitBookings(load, 5, Duration.ofSeconds(30));
                Map<String, Integer> before = snapshot(load);
                load.longestNanos.set(0);
                proxy.freeze();
                long frozenAt = System.nanoTime();
                while (System.nanoTime() - frozenAt < Duration.ofSeconds(14).toNanos()) {
                    long asked = System.nanoTime();
                    int status = service.get("/ready", null).status();
                    assertTrue(System.nanoTime() - asked < Duration.ofSeconds(4).toNanos(), "/ready answers within its 2 s ping bound");
                    ready.merge(status, 1, Integer::sum);
                    Thread.sleep(500); // sampling /ready while the database is silent
                }
                proxy.thaw();
                longest = load.longestNanos.get();
                down = diff(before, snapshot(load));
                awaitBookings(load, 5, Duration.ofSeconds(60));
            } finally {
                load.close();
            }
            List<String> problems = load.violations(db);
            assertTrue(problems.isEmpty(), String.join("\n", problems));
            assertEquals(0, load.serverErrors.get(), load.serverErrorSamples.toString());
            assertTrue(ready.getOrDefault(503, 0) > 0, "/ready reported the silent database: " + ready);
            assertTrue(down.keySet().stream().anyMatch(k -> k.startsWith("503")), "requests were answered 503: " + down);
            assertTrue(longest < BOUND.toNanos(), "the longest answer took " + Duration.ofNanos(longest).toMillis() + " ms");

            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("blackHoleSeconds", 14);
            figures.put("longestAnswerMs", Duration.ofNanos(longest).toMillis());
            figures.put("readyWhileSilent", ready.toString());
            figures.put("outcomesWhileSilent", down.toString());
            figures.put("acknowledgedBookings", load.acknowledgedCodes.size());
            figures.put("bookingsLost", load.lostBookings(db));
            figures.put("overbookedSlots", BookingLoad.overbookedSlots(db));
            CrashIT.Figures.record("blackhole", figures);
        }
    }

    private static Map<String, Integer> snapshot(BookingLoad load) {
        Map<String, Integer> out = new TreeMap<>();
        load.outcomes.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    private static Map<String, Integer> diff(Map<String, Integer> before, Map<String, Integer> after) {
        Map<String, Integer> out = new TreeMap<>();
        after.forEach((k, v) -> {
            int d = v - before.getOrDefault(k, 0);
            if (d > 0) {
                out.put(k, d);
            }
        });
        return out;
    }

    private static void awaitBookings(BookingLoad load, int more, Duration limit) throws InterruptedException {
        long target = load.acknowledged.get() + more;
        long deadline = System.nanoTime() + limit.toNanos();
        while (load.acknowledged.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the service did not book again within " + limit + ": " + load.summary());
            }
            Thread.sleep(50); // waiting for the clients' progress
        }
    }
}
