package madoguchi.app.booking;

import madoguchi.app.capacity.CapacityChange;
import madoguchi.app.capacity.CapacityTuning;
import madoguchi.app.cards.CardLifecycle;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import madoguchi.domain.ActiveBooking;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.Channel;
import madoguchi.domain.SlotSeats;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The allocator against a real PostgreSQL: random interleavings of hold, confirm, release,
 * expiry, booking, override, cancel, reschedule, issuance at the counter, the no-show sweep and
 * capacity changes, several at once. After every round, no slot holds more regular seats than its
 * capacity, every count on a slot row equals the holds and bookings rows behind it (a seat returns
 * only on cancel: booked = active + issued + no-show bookings), and memory equals the database.
 */
class AllocatorProperties {
    private static final Instant BASE = Instant.parse("2026-12-01T00:00:00Z");
    private static final LocalDate DAY = LocalDate.of(2026, 12, 4);
    private static final int CARDS = 8;
    private static final int SLOTS = 3;
    private static MutableClock clock;
    private static TestService service;
    private static int tryNumber;

    enum Kind { HOLD, CONFIRM, RELEASE, EXPIRE, BOOK, OVERRIDE, CANCEL, RESCHEDULE, ISSUE, NO_SHOW, CAPACITY }

    record Action(Kind kind, int card, int slot, Channel channel, int counters, boolean cancelDisplaced) {
    }

    @BeforeContainer
    static void start() throws Exception {
        clock = new MutableClock(BASE);
        service = TestService.start(TestDatabase.fresh(), Map.of(), clock);
    }

    @AfterContainer
    static void stop() {
        service.close();
    }

    @Provide
    Arbitrary<List<List<Action>>> rounds() {
        Arbitrary<Action> action = Combinators.combine(
                Arbitraries.of(Kind.class), Arbitraries.integers().between(0, CARDS - 1),
                Arbitraries.integers().between(0, SLOTS - 1), Arbitraries.of(Channel.WEB, Channel.PHONE, Channel.OPERATOR),
                Arbitraries.integers().between(0, 4), Arbitraries.of(true, false)).as(Action::new);
        return action.list().ofMinSize(1).ofMaxSize(4).list().ofMinSize(3).ofMaxSize(12);
    }

    @Property(tries = 60)
    void noSlotAboveItsLimitAndMemoryEqualsTheDatabase(@ForAll("rounds") List<List<Action>> rounds) throws Exception {
        clock.set(BASE);
        Services s = new Services(service.app.services().desk(), service.app.services().allocator(),
                service.app.services().capacity(), service.app.services().lifecycle());
        String site = "prop" + (++tryNumber);
        List<Long> slots = openSite(site);
        long firstNotice = 9_000_000_000L + tryNumber * 100L;
        service.importCards(site, firstNotice, CARDS);
        List<CardRef> cards = new ArrayList<>();
        try (Connection c = TestDatabase.connect(service.database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM cards WHERE site_id = '" + site + "' ORDER BY notice_number")) {
            while (rs.next()) {
                cards.add(new CardRef(rs.getLong(1), site));
            }
        }
        Map<Integer, UUID> lastHold = new HashMap<>();
        for (List<Action> round : rounds) {
            List<Future<?>> running = new ArrayList<>();
            for (Action a : round) {
                running.add(run(s, site, a, cards.get(a.card()), slots.get(a.slot()), lastHold));
            }
            Future.join(new ArrayList<>(running)).await(30, TimeUnit.SECONDS);
            check(site, slots);
        }
    }

    private record Services(BookingDesk desk, Allocator allocator, CapacityTuning capacity, CardLifecycle lifecycle) {
    }

    private Future<?> run(Services s, String site, Action a, CardRef card, long slot, Map<Integer, UUID> lastHold) {
        switch (a.kind()) {
            case HOLD:
                return s.desk().hold(card, slot, a.channel(), null).onSuccess(done -> {
                    if (done.ok()) {
                        synchronized (lastHold) {
                            lastHold.put(a.card(), ((madoguchi.domain.Decision.HoldTaken) done.decision()).hold().id());
                        }
                    }
                });
            case CONFIRM:
                UUID hold = lastHold.get(a.card());
                return hold == null ? Future.succeededFuture() : s.desk().confirm(card, hold, "prop", null);
            case RELEASE:
                UUID held = lastHold.get(a.card());
                return held == null ? Future.succeededFuture() : s.desk().release(card, held);
            case EXPIRE:
                clock.advance(Duration.ofSeconds(130));
                return s.allocator().expireDueHolds();
            case BOOK:
                return s.desk().book(card, slot, a.channel(), "prop", false, null, null);
            case OVERRIDE:
                return s.desk().book(card, slot, Channel.OPERATOR, "op", true, "property test", null);
            case CANCEL:
                return codeOf(s, card).compose(code -> code == null ? Future.succeededFuture()
                        : s.desk().cancel(card, code, "property test"));
            case RESCHEDULE:
                return codeOf(s, card).compose(code -> code == null ? Future.succeededFuture()
                        : s.desk().reschedule(card, code, slot, a.channel(), false, null, null));
            case ISSUE:
                return codeOf(s, card).compose(code -> code == null ? Future.succeededFuture()
                        : s.lifecycle().issued(code, "prop"));
            case NO_SHOW:
                // the slots of this try end on DAY; the sweep as if it ran the day after
                return s.lifecycle().sweepNoShows(DAY.plusDays(1).atStartOfDay(BookingWindow.TOKYO).toInstant());
            default:
                SlotSeats seats = s.allocator().slot(slot);
                LocalTime start = seats.start().atZone(BookingWindow.TOKYO).toLocalTime();
                return s.capacity().change(new CapacityChange(site, DAY, DAY, EnumSet.allOf(DayOfWeek.class), start,
                        start.plusMinutes(15), a.counters(), 1, null, null,
                        a.cancelDisplaced() ? CapacityChange.Displacement.CANCEL : CapacityChange.Displacement.KEEP_AS_OVERRIDE,
                        "prop", "property test"), false);
        }
    }

    private static Future<String> codeOf(Services s, CardRef card) {
        return s.allocator().tell(card.siteId(), new SeatNews.BookingOf(card.cardId()))
                .map(b -> b.map(ActiveBooking::code).orElse(null));
    }

    private List<Long> openSite(String site) {
        TestService.Response r = service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new JsonObject()
                .put("id", site).put("name", new JsonObject().put("ja", site).put("en", site)).put("kind", "popup"));
        assertEquals(201, r.status(), r.toString());
        int[][] limits = {{3, 1, 2}, {2, 2, 2}, {4, 2, 3}};
        for (int i = 0; i < SLOTS; i++) {
            String start = LocalTime.of(10, 0).plusMinutes(15L * i).toString();
            String end = LocalTime.of(10, 15).plusMinutes(15L * i).toString();
            TestService.Response cap = service.put("/api/v1/admin/sites/" + site + "/capacity", TestService.ADMIN_TOKEN,
                    new JsonObject().put("from", DAY.toString()).put("to", DAY.toString()).put("startTime", start)
                            .put("endTime", end).put("counters", limits[i][0]).put("perCounter", 1)
                            .put("quota", new JsonObject().put("web", limits[i][1]).put("phone", limits[i][2])));
            assertEquals(200, cap.status(), cap.toString());
        }
        List<Long> slots = new ArrayList<>();
        for (Object o : service.get("/api/v1/sites/" + site + "/availability?channel=operator&from=" + DAY + "&to=" + DAY, null).array()) {
            slots.add(((JsonObject) o).getLong("slotId"));
        }
        assertEquals(SLOTS, slots.size());
        return slots;
    }

    private void check(String site, List<Long> slots) throws Exception {
        try (Connection c = TestDatabase.connect(service.database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT s.id, s.capacity, s.booked, s.held, s.override_booked,"
                     + " (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.status IN ('active', 'issued', 'no_show') AND NOT b.override) AS regular,"
                     + " (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.status IN ('active', 'issued', 'no_show') AND b.override) AS forced,"
                     + " (SELECT count(*) FROM holds h WHERE h.slot_id = s.id AND h.status = 'active') AS holds"
                     + " FROM slots s WHERE s.site_id = '" + site + "'")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                long id = rs.getLong("id");
                String where = "slot " + id;
                assertTrue(rs.getInt("booked") + rs.getInt("held") <= rs.getInt("capacity"), where + " above capacity");
                assertEquals(rs.getInt("regular"), rs.getInt("booked"), where + " booked = active + issued + no-show regular bookings");
                assertEquals(rs.getInt("forced"), rs.getInt("override_booked"), where + " overrides = active + issued + no-show override bookings");
                assertEquals(rs.getInt("holds"), rs.getInt("held"), where + " held = active holds");
                SlotSeats seats = service.app.services().allocator().slot(id);
                assertEquals(rs.getInt("booked"), seats.booked(), where + " memory booked");
                assertEquals(rs.getInt("held"), seats.held(), where + " memory held");
                assertEquals(rs.getInt("override_booked"), seats.override(), where + " memory overrides");
                assertEquals(rs.getInt("capacity"), seats.limits().capacity(), where + " memory capacity");
            }
            assertEquals(slots.size(), rows);
        }
        try (Connection c = TestDatabase.connect(service.database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM (SELECT card_id FROM bookings WHERE status = 'active'"
                     + " GROUP BY card_id HAVING count(*) > 1) x")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "at most one active booking per card");
        }
    }
}
