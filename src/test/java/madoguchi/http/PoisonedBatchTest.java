package madoguchi.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import madoguchi.app.booking.Allocator;
import madoguchi.app.booking.BookingDesk;
import madoguchi.app.booking.CardRef;
import madoguchi.app.booking.Settled;
import madoguchi.domain.Channel;
import madoguchi.domain.Refusal;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attack on a real PostgreSQL: 25 residents book one slot while 9 operator overrides
 * whose reason holds a NUL byte (which PostgreSQL refuses in text: SQLSTATE 22021) are in the same
 * batch. The HTTP input checks refuse such a reason at the door (400); a use case reached another
 * way (here the booking desk itself) would carry it to the journal, and there only those 9 fail
 * ({@code unrecordable}), while every resident is booked as if alone: 0 × 503.
 */
class PoisonedBatchTest {
    private static final long FIRST = 7_300_000_000L;
    private static final int RESIDENTS = 25;
    private static final int POISONED = 9;

    @Test
    void aReasonPostgresqlCannotStoreFailsOnlyItsOwnRequest() throws Exception {
        try (TestService service = TestService.start(TestDatabase.fresh(),
                Map.of("MADOGUCHI_SHARDS", "1", "MADOGUCHI_ALLOCATOR_WAIT_MS", "0"), Clock.systemUTC())) {
            LocalDate day = LocalDate.now().plusDays(2);
            long slot = service.siteWithOneSlot("poison", day, 50, 2);
            long blockerSlot = service.siteWithOneSlot("blocker", day, 1, 1);
            service.importCards("poison", FIRST, RESIDENTS + POISONED);
            service.importCards("blocker", FIRST + 100, 1);
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < RESIDENTS; i++) {
                tokens.add(service.verify(FIRST + i));
            }
            String blockerToken = service.verify(FIRST + 100);
            Allocator allocator = service.app.services().allocator();
            BookingDesk desk = service.app.services().desk();

            // at the door, a NUL in the reason is refused before it reaches the allocator
            String operator = service.post("/api/v1/admin/users", TestService.ADMIN_TOKEN,
                    new JsonObject().put("name", "op-poison").put("role", "operator")).json().getString("token");
            TestService.Response door = service.post("/api/v1/operator/bookings", operator,
                    new JsonObject().put("noticeNumber", String.valueOf(FIRST + RESIDENTS)).put("slotId", slot)
                            .put("override", true).put("reason", "note\u0000"));
            assertEquals(400, door.status(), door.toString());

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            try (Connection lock = TestDatabase.connect(service.database); Statement st = lock.createStatement()) {
                // a first batch waits on a row lock, so that everything after it gathers in one batch
                lock.setAutoCommit(false);
                st.execute("SELECT 1 FROM slots WHERE id = " + blockerSlot + " FOR UPDATE");
                CompletableFuture<HttpResponse<String>> blocker = book(http, service, blockerToken, blockerSlot);
                awaitLockWait(service);

                List<CompletableFuture<HttpResponse<String>>> residents = new ArrayList<>();
                List<Future<Settled>> poisoned = new ArrayList<>();
                for (int i = 0; i < RESIDENTS; i++) {
                    residents.add(book(http, service, tokens.get(i), slot));
                    if (i % 3 == 0 && poisoned.size() < POISONED) {
                        CardRef card = new CardRef(cardId(service, FIRST + RESIDENTS + poisoned.size()), "poison");
                        poisoned.add(desk.book(card, slot, Channel.OPERATOR, "sato", true, "note\u0000", null));
                    }
                }
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (allocator.queued() < 1 + RESIDENTS + POISONED && System.nanoTime() < until) {
                    Thread.sleep(5);
                }
                assertEquals(1 + RESIDENTS + POISONED, allocator.queued(), "all behind the first batch");
                lock.commit();

                assertEquals(201, blocker.get(20, TimeUnit.SECONDS).statusCode());
                for (CompletableFuture<HttpResponse<String>> r : residents) {
                    HttpResponse<String> answer = r.get(20, TimeUnit.SECONDS);
                    assertEquals(201, answer.statusCode(), "every resident booked as if alone: " + answer.body());
                }
                for (Future<Settled> p : poisoned) {
                    Settled s = p.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
                    assertEquals(Refusal.UNRECORDABLE, s.refusal());
                }
            }
            assertEquals(0, allocator.queued());
            try (Connection c = TestDatabase.connect(service.database); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT booked, override_booked,"
                         + " (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'active') AS rows"
                         + " FROM slots s WHERE id = " + slot)) {
                rs.next();
                assertEquals(RESIDENTS, rs.getInt("booked"));
                assertEquals(RESIDENTS, rs.getInt("rows"), "the residents' bookings and nothing of the poisoned");
                assertEquals(0, rs.getInt("override_booked"));
            }
            assertEquals(RESIDENTS, allocator.slot(slot).booked(), "memory follows the database");
            assertTrue(!allocator.slot(slot).hasPending());
        }
    }

    private static CompletableFuture<HttpResponse<String>> book(HttpClient http, TestService service, String token, long slot) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(service.base() + "/api/v1/bookings"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("slotId", slot).encode())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long cardId(TestService service, long notice) throws Exception {
        try (Connection c = TestDatabase.connect(service.database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM cards WHERE notice_number = '" + notice + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Until the first batch's transaction waits for the row lock. */
    private static void awaitLockWait(TestService service) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (Connection c = TestDatabase.connect(service.database); Statement s = c.createStatement()) {
            while (System.nanoTime() < until) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(5);
            }
        }
        throw new AssertionError("the first batch never waited for the lock");
    }
}
