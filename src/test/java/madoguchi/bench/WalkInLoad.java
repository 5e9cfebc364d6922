package madoguchi.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Load on a walk-in site: staff at the door issue tickets at a steady rate while counters call
 * the next number once a second and call-up boards follow the queue over server-sent events.
 * Measures how long a ticket takes to issue and how long after a call the boards show it, each
 * against a baseline in the same run. Not part of the test suite; see BENCHMARKS.md and
 * bench/walk-in-load.sh, which sets up the service, the sites and the cards.
 *
 * <p>Phases, one after the other:
 * <ol>
 * <li>warm-up on the other site (a JIT that is still compiling would measure itself), with a few boards;</li>
 * <li><b>ticket baseline</b>: the same ticket rate and calls on the other site, no board open anywhere;</li>
 * <li><b>load</b>: {@code tickets} tickets in {@code seconds} at the measured site with {@code boards} boards open on it;</li>
 * <li><b>board baseline</b>: the same boards, no tickets, only the calls once a second (the site as the load left it).</li>
 * </ol>
 *
 * <p>Usage: {@code WalkInLoad baseUrl adminToken site firstCard otherSite otherFirstCard serviceJvmPid
 * [tickets=2000] [seconds=60] [boards=50] [baselineSeconds=10]}
 */
public final class WalkInLoad {
    // bench/walk-in-load.sh runs this with -Djdk.httpclient.keepalive.timeout=5: the service closes a keep-alive
    // connection that sent no request head for 10 s (MADOGUCHI_HEADER_TIMEOUT_SECONDS), and a POST sent on a pooled
    // connection just as the service closes it fails, not retried (most likely what failed one call on 2026-12-03:
    // no answer, and no trace of it in the service's log)
    private static final HttpClient API = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    // the boards' streams get their own client (its own selector thread), so reading them cannot delay the tickets' answers
    private static final HttpClient BOARDS = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static String base;
    private static String token;

    public static void main(String[] args) throws Exception {
        base = args[0];
        token = args[1];
        String site = args[2];
        long firstCard = Long.parseLong(args[3]);
        String other = args[4];
        long otherFirstCard = Long.parseLong(args[5]);
        long servicePid = Long.parseLong(args[6]);
        int tickets = args.length > 7 ? Integer.parseInt(args[7]) : 2000;
        int seconds = args.length > 8 ? Integer.parseInt(args[8]) : 60;
        int boardCount = args.length > 9 ? Integer.parseInt(args[9]) : 50;
        int baselineSeconds = args.length > 10 ? Integer.parseInt(args[10]) : 10;
        int baselineTickets = tickets * baselineSeconds / seconds;   // the same rate as the load
        AtomicLong otherCards = new AtomicLong(otherFirstCard);
        AtomicLong cards = new AtomicLong(firstCard);

        System.out.printf("rate %.1f tickets/s, calls 1/s, %d boards%n", (double) tickets / seconds, boardCount);

        List<Board> warmBoards = open(other, Math.min(10, boardCount));
        Phase warm = run("warm-up", other, baselineTickets, baselineSeconds, otherCards, warmBoards);
        close(warmBoards);
        warm.printTickets();

        Phase ticketBase = run("ticket baseline (no board open)", other, baselineTickets, baselineSeconds, otherCards, List.of());
        ticketBase.printTickets();

        List<Board> boards = open(site, boardCount);
        Cpu cpu = new Cpu(servicePid);
        Phase load = run("load", site, tickets, seconds, cards, boards);
        String loadCpu = cpu.since();
        Phase boardBase = run("board baseline (no tickets, calls only)", site, 0, baselineSeconds, cards, boards);
        close(boards);

        load.printTickets();
        load.printWindows(10);
        load.checkNumbers(tickets);
        long[] loadBoard = load.boardLatencies(boards);
        long[] baseBoard = boardBase.boardLatencies(boards);
        print("board update under load (call sent -> event on a board)", loadBoard);
        print("board update baseline (idle site, same boards)", baseBoard);
        System.out.printf("board events under load: %d on %d boards (%.1f per board per second)%n",
                load.events, boards.size(), (double) load.events / boards.size() / seconds);
        System.out.println("cpu during load: " + loadCpu);
        System.out.printf("RATIO ticket p50 %.2fx p99 %.2fx (50 boards and load / no board); board p50 %.2fx p99 %.2fx (load / idle)%n",
                ratio(load.tickets(), ticketBase.tickets(), 50), ratio(load.tickets(), ticketBase.tickets(), 99),
                ratio(loadBoard, baseBoard, 50), ratio(loadBoard, baseBoard, 99));
        JsonObject after = get("/api/v1/sites/" + site + "/board");
        System.out.printf("board after: waiting %d, called shown %d (expected waiting %d)%n", after.getInteger("waiting"),
                after.getJsonArray("called").size(), tickets - load.calls.size() - boardBase.calls.size());
        System.exit(0);
    }

    /** One phase: tickets at a steady rate (open loop), a call every second, and what the boards saw meanwhile. */
    private static Phase run(String name, String site, int tickets, int seconds, AtomicLong cards, List<Board> boards) throws Exception {
        Phase phase = new Phase(name);
        long eventsBefore = boards.stream().mapToLong(b -> b.events.get()).sum();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        long period = tickets == 0 ? 0 : TimeUnit.SECONDS.toNanos(seconds) / tickets;
        List<CompletableFuture<Void>> answers = new ArrayList<>();

        // calls: one every second from the first second on, each waiting for its answer (one counter at a time, as staff do)
        Thread caller = new Thread(() -> {
            for (int k = 1; k <= seconds; k++) {
                sleepUntil(start + TimeUnit.SECONDS.toNanos(k));
                phase.calls.add(call(site, 1 + (k - 1) % 10));
            }
        }, "caller");
        caller.start();

        // tickets: each sent at its planned time whether or not earlier ones were answered (open loop, so a slow
        // service meets the same rate instead of a politely slowed client), timed from that planned time
        for (int i = 0; i < tickets; i++) {
            long planned = start + i * period;
            sleepUntil(planned);
            String notice = Long.toString(cards.getAndIncrement());
            HttpRequest request = post("/api/v1/operator/sites/" + site + "/tickets", new JsonObject().put("noticeNumber", notice));
            answers.add(API.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((r, e) -> {
                long latency = System.nanoTime() - planned;
                if (e != null) {
                    phase.statuses.merge("error " + e.getClass().getSimpleName(), 1, Integer::sum);
                    if (phase.oddAnswers.size() < 5) {
                        phase.oddAnswers.add(e.toString());
                    }
                    return null;
                }
                phase.statuses.merge(Integer.toString(r.statusCode()), 1, Integer::sum);
                if (r.statusCode() == 201) {
                    phase.ticketNanos.add(new long[]{planned - start, latency});
                    phase.numbers.add(new JsonObject(r.body()).getInteger("number"));
                } else if (phase.oddAnswers.size() < 5) {
                    phase.oddAnswers.add(r.statusCode() + " " + r.body());
                }
                return null;
            }));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        caller.join();
        // the last call's board event comes at least one gathering interval (100 ms) later: wait for stragglers
        Thread.sleep(2000);
        phase.events = boards.stream().mapToLong(b -> b.events.get()).sum() - eventsBefore;
        return phase;
    }

    private static Call call(String site, int counter) {
        HttpRequest request = post("/api/v1/operator/sites/" + site + "/calls", new JsonObject().put("counter", counter));
        long sent = System.nanoTime();
        try {
            HttpResponse<String> r = API.send(request, HttpResponse.BodyHandlers.ofString());
            long answered = System.nanoTime();
            if (r.statusCode() != 200) {
                return new Call(-r.statusCode(), sent, answered, r.body());
            }
            return new Call(new JsonObject(r.body()).getInteger("number"), sent, answered, null);
        } catch (IOException | InterruptedException e) {
            return new Call(-1, sent, System.nanoTime(), e.toString());
        }
    }

    private static HttpRequest post(String path, JsonObject body) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
    }

    private static JsonObject get(String path) throws IOException, InterruptedException {
        return new JsonObject(API.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static void sleepUntil(long nanoTime) {
        for (long left; (left = nanoTime - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
    }

    private static List<Board> open(String site, int count) throws InterruptedException {
        List<Board> boards = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boards.add(new Board(site, i));
        }
        for (Board b : boards) {
            if (!b.first.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("board " + b.index + " got no first event");
            }
        }
        return boards;
    }

    private static void close(List<Board> boards) {
        boards.forEach(Board::close);
    }

    /** A call and when it was sent and answered; a negative number is a failed call (minus its status, -1 no answer). */
    private record Call(int number, long sent, long answered, String error) {
    }

    /**
     * One open board: a thread reads the event stream line by line as it arrives and notes when each called
     * number first appears in a board's {@code called} list (nanoTime of reading its {@code data:} line).
     */
    private static final class Board {
        final int index;
        final CountDownLatch first = new CountDownLatch(1);
        final AtomicLong events = new AtomicLong();
        final Map<Integer, Long> firstSeen = new ConcurrentHashMap<>();
        private final Thread reader;
        private volatile InputStream stream;
        private volatile boolean closing;

        Board(String site, int index) {
            this.index = index;
            this.reader = new Thread(() -> read(site), "board-" + index);
            reader.setDaemon(true);
            reader.start();
        }

        private void read(String site) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/sites/" + site + "/board/events"))
                    .header("Accept", "text/event-stream").build();
            try {
                HttpResponse<InputStream> r = BOARDS.send(request, HttpResponse.BodyHandlers.ofInputStream());
                stream = r.body();
                if (r.statusCode() != 200) {
                    throw new IOException("status " + r.statusCode());
                }
                BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.startsWith("data: ")) {
                        long now = System.nanoTime();
                        JsonArray called = new JsonObject(line.substring(6)).getJsonArray("called");
                        for (int i = 0; i < called.size(); i++) {
                            firstSeen.putIfAbsent(called.getJsonObject(i).getInteger("number"), now);
                        }
                        events.incrementAndGet();
                        first.countDown();
                    }
                }
                if (!closing) {
                    System.out.println("board " + index + ": the stream ended");
                }
            } catch (IOException | InterruptedException e) {
                if (!closing) {
                    System.out.println("board " + index + ": " + e);
                }
            }
        }

        void close() {
            closing = true;
            try {
                if (stream != null) {
                    stream.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
            // a read blocked waiting for the next event is woken by the interrupt, not by close()
            reader.interrupt();
        }
    }

    /** What one phase measured. */
    private static final class Phase {
        final String name;
        final ConcurrentLinkedQueue<long[]> ticketNanos = new ConcurrentLinkedQueue<>();   // {planned offset, latency}
        final ConcurrentLinkedQueue<Integer> numbers = new ConcurrentLinkedQueue<>();
        final Map<String, Integer> statuses = new ConcurrentHashMap<>();
        final List<String> oddAnswers = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Call> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        long events;

        Phase(String name) {
            this.name = name;
        }

        long[] tickets() {
            return ticketNanos.stream().mapToLong(t -> t[1]).toArray();
        }

        void printTickets() {
            print("ticket issue, " + name, tickets());
            System.out.println("  answers " + new TreeMap<>(statuses) + (oddAnswers.isEmpty() ? "" : " e.g. " + oddAnswers)
                    + "; calls " + calls.size() + ", failed " + calls.stream().filter(c -> c.number() < 0).map(Call::error).toList());
        }

        /** Ticket latency by window of the run: does it grow as the queue grows? */
        void printWindows(int windowSeconds) {
            Map<Long, List<Long>> windows = new TreeMap<>();
            for (long[] t : ticketNanos) {
                windows.computeIfAbsent(t[0] / TimeUnit.SECONDS.toNanos(windowSeconds), k -> new ArrayList<>()).add(t[1]);
            }
            windows.forEach((w, l) -> print(String.format("  %3d-%3d s", w * windowSeconds, (w + 1) * windowSeconds),
                    l.stream().mapToLong(Long::longValue).toArray()));
        }

        /** The numbers given must be exactly 1..n: none twice, none skipped. */
        void checkNumbers(int expected) {
            int[] given = numbers.stream().mapToInt(Integer::intValue).sorted().toArray();
            long distinct = Arrays.stream(given).distinct().count();
            int missing = 0;
            for (int n = 1; n <= expected; n++) {
                if (Arrays.binarySearch(given, n) < 0) {
                    missing++;
                }
            }
            boolean exact = given.length == expected && distinct == expected && missing == 0;
            System.out.printf("NUMBERS given %d, distinct %d, duplicates %d, missing from 1..%d %d, min %d, max %d: %s%n",
                    given.length, distinct, given.length - distinct, expected, missing,
                    given.length > 0 ? given[0] : 0, given.length > 0 ? given[given.length - 1] : 0, exact ? "exactly 1.." + expected : "NOT EXACT");
        }

        /** For every call and every board: from the call's request sent to the first event on that board showing the number. */
        long[] boardLatencies(List<Board> boards) {
            List<Long> all = new ArrayList<>();
            int missing = 0;
            for (Call c : calls) {
                for (Board b : boards) {
                    Long seen = c.number() > 0 ? b.firstSeen.get(c.number()) : null;
                    if (seen == null) {
                        missing++;
                    } else {
                        all.add(seen - c.sent());
                    }
                }
            }
            long[] callAnswer = calls.stream().mapToLong(c -> c.answered() - c.sent()).toArray();
            print("  call answer (" + name + ")", callAnswer);
            calls.stream().filter(c -> c.number() < 0).forEach(c -> System.out.println("  failed call: " + c.number() + " " + c.error()));
            if (missing > 0) {
                System.out.println("  " + name + ": " + missing + " board x call pairs never showed the number");
            }
            return all.stream().mapToLong(Long::longValue).toArray();
        }
    }

    /** CPU of the service's JVM and of PostgreSQL as a share of all cores, from /proc, like bench/http-load.sh. */
    private static final class Cpu {
        private final long servicePid;
        private final long[] postgres;
        private final long service0;
        private final long pg0;
        private final long self0;
        private final long all0;
        private final long idle0;
        private final long iowait0;

        Cpu(long servicePid) throws IOException {
            this.servicePid = servicePid;
            try (var procs = Files.list(Path.of("/proc"))) {
                postgres = procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                        .filter(p -> "postgres".equals(read(p.resolve("comm")).trim()))
                        .mapToLong(p -> Long.parseLong(p.getFileName().toString())).toArray();
            }
            service0 = ticks(servicePid);
            pg0 = Arrays.stream(postgres).map(Cpu::ticks).sum();
            self0 = ticks(ProcessHandle.current().pid());
            all0 = all();
            idle0 = field(4);
            iowait0 = field(5);
        }

        String since() {
            double all = all() - all0;
            double idle = field(4) - idle0;
            double iowait = field(5) - iowait0;
            // the machine's busy share counts every process, also other people's builds on the shared cores
            return String.format("service JVM %.0f%%, PostgreSQL %.0f%%, this generator %.0f%% of %d cores;"
                            + " the whole machine busy %.0f%%, in iowait %.0f%%",
                    100 * (ticks(servicePid) - service0) / all, 100 * (Arrays.stream(postgres).map(Cpu::ticks).sum() - pg0) / all,
                    100 * (ticks(ProcessHandle.current().pid()) - self0) / all, Runtime.getRuntime().availableProcessors(),
                    100 * (all - idle - iowait) / all, 100 * iowait / all);
        }

        /** utime + stime of a process (fields 14 and 15 of /proc/pid/stat; the name in field 2 may hold spaces). */
        private static long ticks(long pid) {
            String stat = read(Path.of("/proc/" + pid + "/stat"));
            if (stat.isEmpty()) {
                return 0;
            }
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }

        /** user + nice + system + idle + iowait + irq + softirq of all cores, as bench/http-load.sh counts them. */
        private static long all() {
            long sum = 0;
            for (int i = 1; i <= 7; i++) {
                sum += field(i);
            }
            return sum;
        }

        /** Field {@code i} of the line {@code cpu} of /proc/stat (4 idle, 5 iowait). */
        private static long field(int i) {
            return Long.parseLong(read(Path.of("/proc/stat")).lines().findFirst().orElseThrow().trim().split("\\s+")[i]);
        }

        private static String read(Path p) {
            try {
                return Files.readString(p);
            } catch (IOException e) {
                return "";
            }
        }
    }

    private static long pct(long[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }

    private static double ratio(long[] a, long[] b, double p) {
        long[] x = a.clone();
        long[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        return (double) pct(x, p) / pct(y, p);
    }

    private static void print(String what, long[] nanos) {
        if (nanos.length == 0) {
            System.out.println(what + ": no samples");
            return;
        }
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf("%s: n=%d p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n", what, s.length,
                pct(s, 50) / 1e6, pct(s, 95) / 1e6, pct(s, 99) / 1e6, s[s.length - 1] / 1e6);
    }
}
