package madoguchi;

import madoguchi.support.BookingLoad;
import madoguchi.support.ServiceProcess;
import madoguchi.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances (separate processes) behind one database under booking load; three times one of
 * them is killed with SIGKILL mid-load while the other carries on (the clients move to it, as a
 * load balancer would send them), then it is started again. No slot is overbooked, nothing
 * acknowledged is lost, and the holds the dead instance left are ended by the survivor.
 */
class TwoInstancesIT {
    private static final int ROUNDS = 3;

    @Test
    void oneOfTwoInstancesKilledMidLoadLosesNothingAndOverbooksNothing() throws Exception {
        Config.DatabaseUrl db = TestDatabase.fresh();
        CrashIT.Setup setup = CrashIT.Setup.make(db, "twin", 5_600_000_000L, 120);
        // read by the client threads: which instance serves, and which one is dead now
        java.util.concurrent.atomic.AtomicReferenceArray<ServiceProcess> up = new java.util.concurrent.atomic.AtomicReferenceArray<>(
                new ServiceProcess[] {ServiceProcess.launch(db, 0, Map.of(), "twin-a-0"), ServiceProcess.launch(db, 0, Map.of(), "twin-b-0")});
        up.get(0).awaitReady(Duration.ofSeconds(90));
        up.get(1).awaitReady(Duration.ofSeconds(90));
        java.util.concurrent.atomic.AtomicIntegerArray dead = new java.util.concurrent.atomic.AtomicIntegerArray(2);
        List<Integer> exits = new ArrayList<>();
        BookingLoad load = new BookingLoad(setup.slots(), setup.tokens(), 6, t -> {
            int i = t % 2;
            return up.get(dead.get(i) == 1 ? 1 - i : i).base();
        }, 7, Duration.ofSeconds(10)).start();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                Thread.sleep(2500); // both serve
                int victim = round % 2;
                dead.set(victim, 1);
                exits.add(up.get(victim).kill());
                Thread.sleep(2000); // the survivor serves alone
                up.set(victim, ServiceProcess.start(db, 0, Map.of(), "twin-" + (victim == 0 ? "a" : "b") + "-" + (round + 1)));
                dead.set(victim, 0);
            }
            Thread.sleep(2000);
        } finally {
            load.close();
        }
        try {
            exits.forEach(code -> assertEquals(137, code, "killed by SIGKILL"));
            List<String> problems = load.violations(db);
            assertTrue(problems.isEmpty(), String.join("\n", problems));
            assertEquals(0, load.serverErrors.get(), load.serverErrorSamples.toString());
            assertTrue(load.acknowledgedCodes.size() > 20, load.summary());

            // holds the dead instances left: once run out (and past the grace), the survivors end them
            int left;
            try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement()) {
                left = st.executeUpdate("UPDATE holds SET expires_at = now() - interval '5 minutes' WHERE status = 'active'");
            }
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (CrashIT.heldSeats(db) > 0 && System.nanoTime() < until) {
                Thread.sleep(100); // each instance looks for abandoned holds every 5 s
            }
            assertEquals(0, CrashIT.heldSeats(db));
            try (Connection c = TestDatabase.connect(db)) {
                List<String> seats = BookingLoad.seatViolations(c);
                assertTrue(seats.isEmpty(), String.join("\n", seats));
            }
            // both instances come to show the database's free seats
            Map<Long, Integer> expected = CrashIT.dbRemaining(db);
            long settle = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while ((!expected.equals(CrashIT.served(up.get(0), setup)) || !expected.equals(CrashIT.served(up.get(1), setup)))
                    && System.nanoTime() < settle) {
                Thread.sleep(200); // instances catch up with each other every 5 s
            }
            assertEquals(expected, CrashIT.served(up.get(0), setup));
            assertEquals(expected, CrashIT.served(up.get(1), setup));

            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("instanceKills", exits.size());
            figures.put("requests", load.requests.get());
            figures.put("acknowledgedChanges", load.acknowledged.get());
            figures.put("acknowledgedBookings", load.acknowledgedCodes.size());
            figures.put("bookingsLost", load.lostBookings(db));
            figures.put("overbookedSlots", BookingLoad.overbookedSlots(db));
            figures.put("abandonedHoldsEnded", left);
            figures.put("outcomes", load.summary());
            CrashIT.Figures.record("two-instances", figures);
        } finally {
            up.get(0).close();
            up.get(1).close();
        }
    }
}
