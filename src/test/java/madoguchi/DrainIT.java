package madoguchi;

import madoguchi.support.BookingLoad;
import madoguchi.support.ServiceProcess;
import madoguchi.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rolling deploy: two instances serve booking load behind a "balancer" (this test's router,
 * which checks each instance's /ready every 100 ms as HAProxy would and sends new requests only
 * to ready ones). Instance A gets SIGTERM mid-load: its /ready fails at once, the router moves
 * the load to B, A answers what it was given and exits. No request goes unanswered (no reset
 * connection), nothing acknowledged is lost, nothing is overbooked.
 */
class DrainIT {

    @Test
    void anInstanceDrainedUnderLoadDropsNothing() throws Exception {
        var db = TestDatabase.fresh();
        CrashIT.Setup setup = CrashIT.Setup.make(db, "drain", 5_700_000_000L, 120);
        Map<String, String> env = Map.of("MADOGUCHI_DRAIN_SECONDS", "2", "MADOGUCHI_DRAIN_TIMEOUT_SECONDS", "10");
        ServiceProcess a = ServiceProcess.launch(db, 0, env, "drain-a");
        ServiceProcess b = ServiceProcess.launch(db, 0, env, "drain-b");
        a.awaitReady(Duration.ofSeconds(90));
        b.awaitReady(Duration.ofSeconds(90));
        AtomicBoolean aReady = new AtomicBoolean(true);
        AtomicBoolean checking = new AtomicBoolean(true);
        AtomicLong aNotReadyAt = new AtomicLong();
        HttpClient http = HttpClient.newHttpClient();
        Thread balancer = new Thread(() -> {
            while (checking.get()) {
                boolean ready;
                try {
                    ready = http.send(HttpRequest.newBuilder(URI.create(a.base() + "/ready")).timeout(Duration.ofSeconds(1)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (Exception e) {
                    ready = false;
                }
                if (!ready && aReady.getAndSet(false)) {
                    aNotReadyAt.set(System.nanoTime());
                }
                try {
                    Thread.sleep(100); // the balancer's check interval
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "balancer");
        balancer.start();
        BookingLoad load = new BookingLoad(setup.slots(), setup.tokens(), 6,
                t -> t % 2 == 0 && aReady.get() ? a.base() : b.base(), 11, Duration.ofSeconds(10)).start();
        int exit;
        long terminatedAt;
        try {
            Thread.sleep(2500); // both serve
            long before = load.requests.get();
            terminatedAt = System.nanoTime();
            a.terminate();
            exit = a.exit(Duration.ofSeconds(30));
            long drainedMillis = (System.nanoTime() - terminatedAt) / 1_000_000;
            assertTrue(drainedMillis >= 2_000, "A kept serving through its grace period: " + drainedMillis + " ms");
            assertTrue(aNotReadyAt.get() - terminatedAt < 1_000_000_000L, "A said it was not ready at once");
            Thread.sleep(1500); // B serves alone
            assertTrue(load.requests.get() > before + 100, "the load went on: " + load.summary());
        } finally {
            load.close();
            checking.set(false);
            balancer.join();
            b.close();
        }
        assertEquals(143, exit, "A exited on SIGTERM after draining; see " + a.log);
        assertEquals(0, load.outcomes.getOrDefault("no answer", new java.util.concurrent.atomic.AtomicInteger()).get(),
                "no request lost its connection: " + load.summary());
        assertEquals(0, load.serverErrors.get(), load.serverErrorSamples.toString());
        List<String> problems = load.violations(db);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        String log = java.nio.file.Files.readString(a.log);
        assertTrue(log.contains("draining: /ready answers 503") && log.contains("drained in"), "A's log tells the drain");
    }
}
