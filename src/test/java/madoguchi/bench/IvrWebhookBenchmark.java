package madoguchi.bench;

import io.vertx.core.json.JsonObject;
import madoguchi.support.MutableClock;
import madoguchi.support.PhoneCall;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Twilio webhook latency with many calls in flight: each of {@code calls} threads plays whole
 * booking calls (greeting, language, menu, notice number, birth date → verify and hold, 1 →
 * booking, hang-up) against the whole service, timing every webhook. The baseline is GET /health
 * with the same number of threads in the same run. Not part of the test suite; see BENCHMARKS.md.
 *
 * Callers think between steps ({@code thinkMs}, as people do: a real call spends seconds per
 * step); 0 makes every thread a closed loop that sends its next request at once.
 *
 * <p>Usage: {@code IvrWebhookBenchmark [seconds=15] [calls=200] [thinkMs=1000] [warmUpSeconds=90]}; a warm-up of
 * 5 s or less runs 50 calls only, as a fresh instance just put in service meets them
 */
public final class IvrWebhookBenchmark {
    private static final String TOKEN = "bench-twilio-auth-token";

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        think = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        // a fresh JVM compiles the webhooks' code for tens of seconds: a longer warm-up (all calls in
        // flight) measures the service as it runs all day rather than the JIT compiler
        int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 90;
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        LocalDate day = LocalDate.now(tokyo).plusDays(3);
        int port = TestService.freePort();
        try (TestService service = TestService.start(TestDatabase.fresh(), Map.of(
                "PORT", Integer.toString(port), "PUBLIC_BASE_URL", "http://127.0.0.1:" + port,
                "TWILIO_ACCOUNT_SID", "ACbench", "TWILIO_AUTH_TOKEN", TOKEN,
                "MADOGUCHI_VERIFY_FAILURES_PER_CALLER_PER_HOUR", "1000000"),
                new MutableClock(day.minusDays(3).atStartOfDay(tokyo).toInstant()))) {
            service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new JsonObject().put("id", "bench")
                    .put("name", new JsonObject().put("ja", "ベンチ会場").put("en", "Bench Site")).put("kind", "popup").put("address", "川崎市"));
            service.put("/api/v1/admin/sites/bench/capacity", TestService.ADMIN_TOKEN, new JsonObject()
                    .put("from", day.toString()).put("to", day.plusDays(30).toString()).put("startTime", "09:00").put("endTime", "17:00")
                    .put("counters", 10).put("perCounter", 10));
            int cards = 20_000;
            for (int i = 0; i < cards; i += 5_000) {
                service.importCards("bench", 6_000_000_000L + i, 5_000);
            }
            AtomicLong next = new AtomicLong(6_000_000_000L);

            // warm-up, then the baseline, then the calls
            run(service, warmUp > 5 ? calls : Math.min(calls, 50), warmUp, () -> next, true);
            for (var q : BY_STEP) {
                q.clear();
            }
            long[] health = run(service, calls, seconds, () -> next, false);
            System.out.println("measuring the webhooks (" + seconds + " s)");
            long[] ivr = run(service, calls, seconds, () -> next, true);
            report("GET /health (baseline)", health, seconds);
            report("Twilio webhooks", ivr, seconds);
            for (int i = 0; i < STEPS.length; i++) {
                long[] one = BY_STEP[i].stream().mapToLong(Long::longValue).sorted().toArray();
                report("  " + STEPS[i], one, seconds);
            }
            System.out.printf("ratio p50 %.1fx, p99 %.1fx (webhook / health)%n",
                    (double) pct(ivr, 50) / pct(health, 50), (double) pct(ivr, 99) / pct(health, 99));
            // the service's own view: how long webhooks waited for their call's state (last 2 minutes)
            service.metrics().lines().filter(l -> (l.startsWith("madoguchi_ivr_state") || l.startsWith("madoguchi_ivr_webhook_seconds_sum") || l.startsWith("madoguchi_ivr_webhook_seconds_count")) && !l.contains("_bucket"))
                    .forEach(l -> System.out.println("  service: " + l));
            System.out.printf("calls: %d in flight, think time %d ms; calls started: %d%n", calls, think, next.get() - 6_000_000_000L);
        }
        System.exit(0);
    }

    private static int think;
    /** The webhooks of a call, each timed on its own too (the last run only), to see which step is slow. */
    private static final String[] STEPS = {"greeting", "language", "menu", "notice number", "birth date (verify+hold)",
            "1 (book)", "status (hang-up)"};
    @SuppressWarnings("unchecked")
    private static final java.util.concurrent.ConcurrentLinkedQueue<Long>[] BY_STEP = new java.util.concurrent.ConcurrentLinkedQueue[STEPS.length];

    static {
        for (int i = 0; i < STEPS.length; i++) {
            BY_STEP[i] = new java.util.concurrent.ConcurrentLinkedQueue<>();
        }
    }

    private static void pause() {
        if (think > 0) {
            try {
                // people take time to listen and press keys; jitter keeps callers from marching in step
                Thread.sleep(think / 2 + java.util.concurrent.ThreadLocalRandom.current().nextInt(think + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    interface Cards {
        AtomicLong next();
    }

    private static long[] run(TestService service, int threads, int seconds, Cards cards, boolean phone) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> workers = new ArrayList<>();
        List<long[][]> samples = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int t = 0; t < threads; t++) {
            long[][] mine = {new long[1024]};
            int[] count = {0};
            samples.add(mine);
            counts.add(count);
            Thread w = new Thread(() -> {
                while (System.nanoTime() < until) {
                    try {
                        if (phone) {
                            oneCall(service, cards.next().getAndIncrement(), mine, count);
                        } else {
                            long t0 = System.nanoTime();
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(service.base() + "/health")).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            record(mine, count, System.nanoTime() - t0);
                            pause();
                            if (r.statusCode() != 200) {
                                throw new IllegalStateException("health " + r.statusCode());
                            }
                        }
                    } catch (Exception | AssertionError e) {
                        System.err.println("error: " + e);
                    }
                }
            }, "bench-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        int total = counts.stream().mapToInt(c -> c[0]).sum();
        long[] out = new long[total];
        int at = 0;
        for (int i = 0; i < samples.size(); i++) {
            System.arraycopy(samples.get(i)[0], 0, out, at, counts.get(i)[0]);
            at += counts.get(i)[0];
        }
        Arrays.sort(out);
        return out;
    }

    private static void oneCall(TestService service, long notice, long[][] mine, int[] count) {
        PhoneCall call = new PhoneCall(service.base(), TOKEN, "+81445551234");
        timed(mine, count, 0, call::dial);
        timed(mine, count, 1, () -> call.press("1"));
        timed(mine, count, 2, () -> call.press("1"));
        timed(mine, count, 3, () -> call.press(Long.toString(notice)));
        PhoneCall.Twiml offer = timed(mine, count, 4, () -> call.press("19800101"));
        if (offer.has("Gather")) {
            timed(mine, count, 5, () -> call.press("1"));
        }
        long t0 = System.nanoTime();
        call.hangUp();
        long took = System.nanoTime() - t0;
        record(mine, count, took);
        BY_STEP[6].add(took);
    }

    private static PhoneCall.Twiml timed(long[][] mine, int[] count, int step, java.util.function.Supplier<PhoneCall.Twiml> send) {
        long t0 = System.nanoTime();
        PhoneCall.Twiml t = send.get();
        long took = System.nanoTime() - t0;
        record(mine, count, took);
        BY_STEP[step].add(took);
        pause();
        return t;
    }

    private static void record(long[][] mine, int[] count, long nanos) {
        if (count[0] == mine[0].length) {
            mine[0] = Arrays.copyOf(mine[0], mine[0].length * 2);
        }
        mine[0][count[0]++] = nanos;
    }

    private static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static void report(String what, long[] sorted, int seconds) {
        System.out.printf("%-28s requests %7d (%6.0f/s)  p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %7.2f ms%n", what,
                sorted.length, sorted.length / (double) seconds, pct(sorted, 50) / 1e6, pct(sorted, 90) / 1e6,
                pct(sorted, 99) / 1e6, sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    }
}
