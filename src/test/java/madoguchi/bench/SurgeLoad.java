package madoguchi.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A surge of residents, each doing the web journey: verify (notice number and birth date) →
 * availability of their site for two weeks → book a seat; a share then reschedules to another seat
 * or cancels. Closed loop: {@code residents} virtual residents, each starting its next journey (with
 * the next card) as soon as the last one ended, for {@code seconds}. Not part of the test suite; see
 * bench/surge-load.sh, which sets up the sites and cards and measures the naive design beside it.
 *
 * <p>Modes: {@code spread} — each resident books a seat chosen at random among the free ones the
 * availability showed; {@code hot} — every resident books the one slot {@code hotSlot}.
 *
 * <p>Usage: {@code SurgeLoad baseUrl firstNotice cards residents seconds mode from hotSlot
 * [reschedulePercent=10] [cancelPercent=5]}; prints one line starting with RESULT. With
 * {@code -Dsurge.warm=firstNotice:seconds} it first runs a warm-up the same way on other cards, in the
 * same JVM (so that the measured run meets neither a cold service nor a cold generator compiling its own
 * code), then prints {@code MEASURING} when the measured run starts.
 */
public final class SurgeLoad {
    /** Every how many notice numbers a resident's card is (10: one site's cards of ten, imported in turn). */
    private static final long STRIDE = Long.getLong("surge.stride", 1);
    private final Vertx vertx;
    private final String host;
    private final int port;
    private final long firstNotice;
    private final long cards;
    private final boolean hot;
    private final String from;
    private final long hotSlot;
    private final int reschedulePercent;
    private final int cancelPercent;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong served = new AtomicLong();
    private final Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final List<long[]> journeyNanos = new ArrayList<>();
    private final List<long[]> bookNanos = new ArrayList<>();
    private volatile long deadline;

    private SurgeLoad(Vertx vertx, String base, long firstNotice, long cards, int residents, boolean hot, String from,
                      long hotSlot, int reschedulePercent, int cancelPercent) {
        java.net.URI uri = java.net.URI.create(base);
        this.host = uri.getHost();
        this.port = uri.getPort();
        this.vertx = vertx;
        this.firstNotice = firstNotice;
        this.cards = cards;
        this.hot = hot;
        this.from = from;
        this.hotSlot = hotSlot;
        this.reschedulePercent = reschedulePercent;
        this.cancelPercent = cancelPercent;
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        long firstNotice = Long.parseLong(args[1]);
        long cards = Long.parseLong(args[2]);
        int residents = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        boolean hot = "hot".equals(args[5]);
        String from = args[6];
        long hotSlot = Long.parseLong(args[7]);
        int reschedule = args.length > 8 ? Integer.parseInt(args[8]) : 10;
        int cancel = args.length > 9 ? Integer.parseInt(args[9]) : 5;
        Vertx vertx = Vertx.vertx();
        String warm = System.getProperty("surge.warm");
        if (warm != null) {
            String[] w = warm.split(":");
            new SurgeLoad(vertx, base, Long.parseLong(w[0]), cards, residents, hot, from, hotSlot, reschedule, cancel)
                    .run(residents, Integer.parseInt(w[1]), "WARM-UP");
            System.out.println("MEASURING");
            System.out.flush();
        }
        SurgeLoad load = new SurgeLoad(vertx, base, firstNotice, cards, residents, hot, from, hotSlot, reschedule, cancel);
        load.run(residents, seconds, "RESULT");
        vertx.close().await(10, TimeUnit.SECONDS);
        System.exit(0);
    }

    /** Runs the residents for {@code seconds}, then prints what they were served on one line starting with {@code label}. */
    private void run(int residents, int seconds, String label) throws InterruptedException {
        long start = System.nanoTime();
        deadline = start + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch done = new CountDownLatch(residents);
        for (int i = 0; i < residents; i++) {
            // each resident from its own address (127.0.x.y, all loopback on Linux), as residents come from
            // their own homes: the per-address limit's row is not one row that every verification waits for
            HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                    .setLocalAddress("127.0." + (1 + i / 250) + "." + (1 + i % 250)), new PoolOptions().setHttp1MaxSize(1));
            resident(http, done);
        }
        done.await(seconds + 60L, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] journeys;
        long[] books;
        synchronized (this) {
            journeys = journeyNanos.stream().mapToLong(a -> a[0]).sorted().toArray();
            books = bookNanos.stream().mapToLong(a -> a[0]).sorted().toArray();
        }
        Map<String, Long> sorted = new TreeMap<>();
        statuses.forEach((k, v) -> sorted.put(k, v.get()));
        System.out.printf(label + " served_per_s=%.0f served=%d journey_p50_ms=%.1f journey_p99_ms=%.1f book_p50_ms=%.1f book_p99_ms=%.1f"
                        + " seconds=%.1f statuses=%s%n", served.get() / elapsed, served.get(), ms(journeys, 50), ms(journeys, 99),
                ms(books, 50), ms(books, 99), elapsed, sorted.toString().replace(" ", ""));
    }

    private static double ms(long[] sorted, int percentile) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * percentile / 100.0) - 1)] / 1e6;
    }

    /** One virtual resident: journeys one after the other until the deadline. */
    private void resident(HttpClient http, CountDownLatch done) {
        if (System.nanoTime() >= deadline) {
            http.close();
            done.countDown();
            return;
        }
        long n = next.getAndIncrement();
        if (n >= cards) {
            http.close();
            done.countDown();
            return;
        }
        long began = System.nanoTime();
        journey(http, Long.toString(firstNotice + n * STRIDE)).onComplete(ended -> {
            if (ended.succeeded() && ended.result()) {
                served.incrementAndGet();
                synchronized (this) {
                    journeyNanos.add(new long[] {System.nanoTime() - began});
                }
            }
            resident(http, done);
        });
    }

    /** verify → availability → book → (a share) reschedule or cancel; true when the resident got what they came for. */
    private Future<Boolean> journey(HttpClient http, String notice) {
        JsonObject verify = new JsonObject().put("noticeNumber", notice).put("birthDate", "1980-01-01");
        return call(http, "verify", HttpMethod.POST, "/api/v1/residents/verify", null, verify.encode()).compose(v -> {
            if (v == null) {
                return Future.succeededFuture(false);
            }
            JsonObject who = new JsonObject(v);
            String token = who.getString("token");
            String site = who.getString("siteId");
            return call(http, "availability", HttpMethod.GET, "/api/v1/sites/" + site + "/availability?from=" + from, null, null)
                    .compose(a -> {
                        if (a == null) {
                            return Future.succeededFuture(false);
                        }
                        long slot = hot ? hotSlot : pick(a, -1);
                        if (slot < 0) {
                            statuses.computeIfAbsent("availability-none-free", k -> new AtomicLong()).incrementAndGet();
                            return Future.succeededFuture(false);
                        }
                        long bookStart = System.nanoTime();
                        return call(http, "book", HttpMethod.POST, "/api/v1/bookings", token, new JsonObject().put("slotId", slot).encode())
                                .compose(b -> {
                                    if (b == null) {
                                        return Future.succeededFuture(false);
                                    }
                                    synchronized (this) {
                                        bookNanos.add(new long[] {System.nanoTime() - bookStart});
                                    }
                                    return afterwards(http, new JsonObject(b).getString("code"), token, slot, a);
                                });
                    });
        });
    }

    private Future<Boolean> afterwards(HttpClient http, String code, String token, long booked, String availability) {
        int dice = ThreadLocalRandom.current().nextInt(100);
        if (dice < reschedulePercent) {
            long to = hot ? booked : pick(availability, booked);
            if (to < 0 || to == booked) {
                return Future.succeededFuture(true);
            }
            return call(http, "reschedule", HttpMethod.POST, "/api/v1/bookings/" + code + "/reschedule", token,
                    new JsonObject().put("slotId", to).encode()).map(r -> r != null);
        }
        if (dice < reschedulePercent + cancelPercent) {
            return call(http, "cancel", HttpMethod.DELETE, "/api/v1/bookings/" + code, token, null).map(r -> r != null);
        }
        return Future.succeededFuture(true);
    }

    private static final String SLOT_ID = "\"slotId\":";
    private static final String REMAINING = "\"remaining\":";

    /**
     * A slot with free seats, at random, other than {@code not}; -1 when there is none. The answer is
     * scanned for its {@code "slotId":} and {@code "remaining":} numbers rather than parsed into 340
     * JsonObjects: the generator shares the machine with the service, and every core-millisecond it
     * spends is one the service does not get.
     */
    static long pick(String availability, long not) {
        long[] ids = new long[64];
        int[] remaining = new int[64];
        int n = 0;
        int at = 0;
        while ((at = availability.indexOf(SLOT_ID, at)) >= 0) {
            at += SLOT_ID.length();
            long id = number(availability, at);
            int r = availability.indexOf(REMAINING, at);
            if (r < 0) {
                break;
            }
            at = r + REMAINING.length();
            if (n == ids.length) {
                ids = Arrays.copyOf(ids, n * 2);
                remaining = Arrays.copyOf(remaining, n * 2);
            }
            ids[n] = id;
            remaining[n++] = (int) number(availability, at);
        }
        if (n == 0) {
            return -1;
        }
        int first = ThreadLocalRandom.current().nextInt(n);
        for (int k = 0; k < n; k++) {
            int i = (first + k) % n;
            if (remaining[i] > 0 && ids[i] != not) {
                return ids[i];
            }
        }
        return -1;
    }

    private static long number(String text, int at) {
        long value = 0;
        for (int i = at; i < text.length() && Character.isDigit(text.charAt(i)); i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    /** One request; its body when the answer is 2xx, else null (the status is counted either way). */
    private Future<String> call(HttpClient http, String step, HttpMethod method, String path, String token, String body) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(path)
                .setTimeout(30_000);
        if (token != null) {
            options.putHeader("Authorization", "Bearer " + token);
        }
        if (body != null) {
            options.putHeader("Content-Type", "application/json");
        }
        return http.request(options)
                .compose(req -> body == null ? req.send() : req.send(Buffer.buffer(body)))
                .compose(resp -> resp.body().map(b -> {
                    statuses.computeIfAbsent(step + "-" + resp.statusCode(), k -> new AtomicLong()).incrementAndGet();
                    return resp.statusCode() / 100 == 2 ? b.toString() : null;
                }))
                .recover(e -> {
                    statuses.computeIfAbsent(step + "-" + e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
                    return Future.succeededFuture(null);
                });
    }
}
