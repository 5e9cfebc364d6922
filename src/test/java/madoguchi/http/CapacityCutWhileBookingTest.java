package madoguchi.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An administrator cuts capacity while 12 HTTP clients keep booking the same slots
 * (the test checks that bookings were in flight while the cut was). Afterwards
 * no slot holds more regular bookings than its new capacity; every booking beyond it is a
 * recorded override (flag, reason, event); the allocator's memory agrees with the database; and
 * further bookings are refused once the new limit is reached — without a restart.
 */
class CapacityCutWhileBookingTest {
    private static final long FIRST = 7_100_000_001L;
    private static final int CARDS = 400;
    private static TestService service;
    private static LocalDate day;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of(), Clock.systemUTC());
        day = LocalDate.now().plusDays(5);
        service.siteWithOneSlot("cut", day, 3, 10); // 10:00-10:15, capacity 30
        assertEquals(200, service.put("/api/v1/admin/sites/cut/capacity", TestService.ADMIN_TOKEN, capacity(3, 10, "10:00", "11:00")).status());
        service.importCards("cut", FIRST, CARDS);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static JsonObject capacity(int counters, int perCounter, String start, String end) {
        return new JsonObject().put("from", day.toString()).put("to", day.toString()).put("startTime", start).put("endTime", end)
                .put("counters", counters).put("perCounter", perCounter);
    }

    @Test
    void noSlotEndsAboveItsNewLimitExceptRecordedOverrides() throws Exception {
        String operator = service.post("/api/v1/admin/users", TestService.ADMIN_TOKEN,
                new JsonObject().put("name", "op-cut").put("role", "operator")).json().getString("token");
        JsonArray slots = service.get("/api/v1/operator/sites/cut/slots?date=" + day, operator).json().getJsonArray("slots");
        assertEquals(4, slots.size());
        long[] slotIds = new long[4];
        for (int i = 0; i < 4; i++) {
            slotIds[i] = slots.getJsonObject(i).getLong("slotId");
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger booked = new AtomicInteger();
        AtomicInteger full = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        AtomicInteger overlapping = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong cutStart = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        java.util.concurrent.atomic.AtomicLong cutEnd = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        CountDownLatch someBooked = new CountDownLatch(40);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<?>> clients = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            clients.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < CARDS) {
                    long sent = System.nanoTime();
                    TestService.Response r = service.post("/api/v1/operator/bookings", operator, new JsonObject()
                            .put("noticeNumber", Long.toString(FIRST + i)).put("slotId", slotIds[i % 4]));
                    long answered = System.nanoTime();
                    if (sent < cutEnd.get() && answered > cutStart.get()) {
                        overlapping.incrementAndGet(); // in flight while the cut was
                    }
                    if (r.status() == 201) {
                        booked.incrementAndGet();
                        someBooked.countDown();
                    } else if (r.status() == 409) {
                        full.incrementAndGet();
                    } else {
                        other.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        assertTrue(someBooked.await(30, TimeUnit.SECONDS));
        cutStart.set(System.nanoTime());
        TestService.Response cut = service.put("/api/v1/admin/sites/cut/capacity", TestService.ADMIN_TOKEN,
                capacity(1, 5, "10:00", "11:00").put("displaced", "keep").put("reason", "two counters closed"));
        cutEnd.set(System.nanoTime());
        assertEquals(200, cut.status(), cut.toString());
        assertTrue(cut.json().getJsonArray("displaced").size() > 0, "the cut displaced bookings: " + cut);
        for (Future<?> c : clients) {
            c.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(0, other.get(), "only 201 and 409 answers");
        assertTrue(full.get() > 0, "the cut limit was reached");
        assertTrue(overlapping.get() > 0, "bookings were streaming in while the cut was applied");

        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + service.database.host() + ":" + service.database.port()
                + "/" + service.database.database(), service.database.user(), service.database.password())) {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT s.id, s.capacity, s.booked, s.override_booked,"
                    + " (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'active' AND NOT b.override) AS regular,"
                    + " (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'active' AND b.override) AS forced"
                    + " FROM slots s WHERE s.site_id = 'cut'")) {
                int slotsSeen = 0;
                while (rs.next()) {
                    slotsSeen++;
                    assertEquals(5, rs.getInt("capacity"));
                    assertTrue(rs.getInt("regular") <= 5, "slot " + rs.getLong("id") + " holds " + rs.getInt("regular"));
                    assertEquals(rs.getInt("booked"), rs.getInt("regular"), "the slot's count matches its bookings");
                    assertEquals(rs.getInt("override_booked"), rs.getInt("forced"));
                }
                assertEquals(4, slotsSeen);
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM bookings b WHERE b.site_id = 'cut'"
                    + " AND b.status = 'active' AND b.override AND (b.override_reason IS NULL OR NOT EXISTS"
                    + " (SELECT 1 FROM booking_events e WHERE e.booking_id = b.id AND e.kind = 'made_override'))")) {
                rs.next();
                assertEquals(0, rs.getLong(1), "every booking beyond capacity is a recorded override");
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM bookings WHERE site_id = 'cut' AND status = 'active'")) {
                rs.next();
                assertEquals(booked.get(), rs.getLong(1), "every 201 is a booking");
            }
        }
        // memory agrees with the database, at once
        JsonArray after = service.get("/api/v1/operator/sites/cut/slots?date=" + day, operator).json().getJsonArray("slots");
        for (int i = 0; i < after.size(); i++) {
            JsonObject s = after.getJsonObject(i);
            assertEquals(5, s.getInteger("capacity"));
            assertTrue(s.getInteger("booked") <= 5, s.encode());
            assertEquals(0, s.getInteger("remaining"), s.encode());
        }
        service.importCards("cut", 7_100_009_999L, 1);
        TestService.Response late = service.post("/api/v1/operator/bookings", operator, new JsonObject()
                .put("noticeNumber", "7100009999").put("slotId", slotIds[0]));
        assertEquals(409, late.status(), late.toString());
        assertEquals("slot_full", late.json().getString("error"));
        JsonObject audit = service.get("/api/v1/admin/audit?action=capacity.change&target=site:cut", TestService.ADMIN_TOKEN)
                .json().getJsonArray("entries").getJsonObject(0);
        assertEquals("two counters closed", audit.getString("reason"));
        assertEquals(5, audit.getJsonObject("after").getJsonObject("quota").getInteger("phone"));
        assertEquals(new JsonArray().add(30), audit.getJsonObject("before").getJsonArray("capacities"));
    }
}
