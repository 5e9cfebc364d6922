package madoguchi.http;

import io.vertx.core.json.JsonObject;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The surge: 2,000 residents (distinct cards) ask for the same slot of capacity 100 at once.
 * Exactly 100 get it, 1,900 hear slot_full, and the database holds exactly 100 — with one
 * instance, and with two instances sharing the database.
 */
class ConcurrentBookingTest {
    private static final int RESIDENTS = 2000;
    /**
     * These tests count outcomes exactly, so the wait budget is off: on a slow machine it would
     * rightly turn some of 2,000 simultaneous requests away as busy (it has its own test below).
     */
    private static final Map<String, String> EXACT = Map.of("MADOGUCHI_ALLOCATOR_WAIT_MS", "0");
    private static final long FIRST = 7_100_000_000L;

    @Test
    void oneInstanceBooksExactlyTheCapacity() throws Exception {
        try (TestService service = TestService.start(TestDatabase.fresh(), EXACT, Clock.systemUTC())) {
            long slot = service.siteWithOneSlot("surge", LocalDate.now().plusDays(2), 50, 2);
            service.importCards("surge", FIRST, RESIDENTS);
            List<String> tokens = tokens(service);
            Map<Integer, AtomicInteger> outcome = fire(slot, tokens, i -> service.base());
            check(service, slot, outcome);
        }
    }

    @Test
    void twoInstancesOnOneDatabaseBookExactlyTheCapacity() throws Exception {
        var db = TestDatabase.fresh();
        try (TestService a = TestService.start(db, EXACT, Clock.systemUTC())) {
            long slot = a.siteWithOneSlot("surge2", LocalDate.now().plusDays(2), 50, 2);
            a.importCards("surge2", FIRST, RESIDENTS);
            try (TestService b = TestService.start(db, EXACT, Clock.systemUTC())) {
                List<String> tokens = tokens(a);
                Map<Integer, AtomicInteger> outcome = fire(slot, tokens, i -> i % 2 == 0 ? a.base() : b.base());
                check(a, slot, outcome);
            }
        }
    }

    @Test
    void aSaturatedAllocatorAnswers503WithRetryAfterAtOnce() throws Exception {
        saturated(Map.of("MADOGUCHI_ALLOCATOR_QUEUE", "16", "MADOGUCHI_SHARDS", "1"), 2, Set.of(201, 409, 503));
    }

    @Test
    void requestsThatWouldWaitBeyondTheBudgetForTheirCommitAreTurnedAwayAtOnce() throws Exception {
        // 1 ms is less than any commit of 64 decisions: once a batch has been timed, a full queue says busy
        saturated(Map.of("MADOGUCHI_ALLOCATOR_WAIT_MS", "1", "MADOGUCHI_SHARDS", "1"), 40, Set.of(201, 503));
    }

    private void saturated(Map<String, String> env, int perCounter, Set<Integer> statuses) throws Exception {
        try (TestService service = TestService.start(TestDatabase.fresh(), env, Clock.systemUTC())) {
            long slot = service.siteWithOneSlot("busy", LocalDate.now().plusDays(2), 50, perCounter);
            service.importCards("busy", FIRST, RESIDENTS);
            List<String> tokens = tokens(service);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Map<Integer, AtomicInteger> outcome = new ConcurrentHashMap<>();
            AtomicInteger retryAfter = new AtomicInteger();
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (String token : tokens) {
                all.add(http.sendAsync(HttpRequest.newBuilder(URI.create(service.base() + "/api/v1/bookings"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("slotId", slot).encode())).build(),
                        HttpResponse.BodyHandlers.ofString()).thenAccept(r -> {
                            outcome.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                            if (r.statusCode() == 503 && r.headers().firstValue("Retry-After").isPresent()
                                    && new JsonObject(r.body()).getString("error").equals("busy")) {
                                retryAfter.incrementAndGet();
                            }
                        }));
            }
            CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).join();
            assertEquals(statuses, outcome.keySet(), outcome.toString());
            assertEquals(outcome.get(503).get(), retryAfter.get(), "every 503 says busy and when to retry");
            try (Connection c = TestDatabase.connect(service.database); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT booked FROM slots WHERE id = " + slot)) {
                rs.next();
                assertEquals(outcome.get(201).get(), rs.getInt(1), "every 201 is in the database, nothing else");
            }
        }
    }

    private static List<String> tokens(TestService service) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < RESIDENTS; i++) {
            tokens.add(service.verify(FIRST + i));
        }
        return tokens;
    }

    private static Map<Integer, AtomicInteger> fire(long slot, List<String> tokens,
                                                    java.util.function.IntFunction<String> baseOf) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        Map<Integer, AtomicInteger> outcome = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseOf.apply(i) + "/api/v1/bookings"))
                    .header("Authorization", "Bearer " + tokens.get(i)).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("slotId", slot).encode())).build();
            all.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenAccept(r -> {
                int key = r.statusCode() == 409 && new JsonObject(r.body()).getString("error").equals("slot_full") ? 1409 : r.statusCode();
                outcome.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            }));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).join();
        return outcome;
    }

    private static void check(TestService service, long slot, Map<Integer, AtomicInteger> outcome) throws Exception {
        assertEquals(100, outcome.getOrDefault(201, new AtomicInteger()).get(), outcome.toString());
        assertEquals(RESIDENTS - 100, outcome.getOrDefault(1409, new AtomicInteger()).get(), outcome.toString());
        try (Connection c = TestDatabase.connect(service.database); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT booked, held, override_booked, capacity,"
                    + " (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'active') AS rows"
                    + " FROM slots s WHERE id = " + slot);
            rs.next();
            assertEquals(100, rs.getInt("booked"));
            assertEquals(100, rs.getInt("rows"));
            assertEquals(0, rs.getInt("held"));
            assertEquals(0, rs.getInt("override_booked"));
        }
    }
}
