package madoguchi.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.Config;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Residents booking, holding, confirming, moving and cancelling from several client threads,
 * against whatever service instances answer, while a test kills and cuts things. Every answer is
 * classified: 2xx (acknowledged: it must be in the database), 4xx (a definite refusal: nothing
 * changed), anything else or no answer (uncertain: it may or may not have happened). Each card
 * belongs to one thread, which keeps what the service told it about that card; the test then
 * compares that with the database.
 */
public final class BookingLoad implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** What a card's thread knows for sure, or that it does not know. */
    static final class CardView {
        final long notice;
        final String token;
        boolean certain = true;
        String code;      // active booking code, or null for none
        long slotId;

        CardView(long notice, String token) {
            this.notice = notice;
            this.token = token;
        }
    }

    private final List<long[]> slots;
    private final List<CardView> cards;
    private final IntFunction<String> target;
    private final List<Thread> threads = new ArrayList<>();
    private final Random seeds;
    private volatile boolean running = true;

    public final Set<String> acknowledgedCodes = ConcurrentHashMap.newKeySet();
    public final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    public final AtomicLong requests = new AtomicLong();
    public final AtomicLong acknowledged = new AtomicLong();
    public final AtomicLong longestNanos = new AtomicLong();
    public final AtomicInteger serverErrors = new AtomicInteger();
    public final List<String> serverErrorSamples = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Duration timeout;

    /**
     * @param slots   {slotId} of the slots to book
     * @param tokens  notice number → resident token
     * @param target  thread index → base URL of the instance it talks to now
     */
    public BookingLoad(List<Long> slots, Map<Long, String> tokens, int threadCount, IntFunction<String> target, long seed,
                       Duration timeout) {
        this.slots = new ArrayList<>();
        slots.forEach(s -> this.slots.add(new long[] {s}));
        this.cards = new ArrayList<>();
        tokens.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> cards.add(new CardView(e.getKey(), e.getValue())));
        this.target = target;
        this.seeds = new Random(seed);
        this.timeout = timeout;
        for (int t = 0; t < threadCount; t++) {
            List<CardView> mine = new ArrayList<>();
            for (int i = t; i < cards.size(); i += threadCount) {
                mine.add(cards.get(i));
            }
            int index = t;
            long threadSeed = seeds.nextLong();
            Thread thread = new Thread(() -> run(index, mine, new Random(threadSeed)), "booking-load-" + t);
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    public BookingLoad start() {
        threads.forEach(Thread::start);
        return this;
    }

    private void run(int index, List<CardView> mine, Random random) {
        while (running) {
            CardView card = mine.get(random.nextInt(mine.size()));
            String base = target.apply(index);
            try {
                if (!card.certain) {
                    learn(base, card);
                } else if (card.code == null) {
                    if (random.nextInt(4) == 0) {
                        holdThenMaybeConfirm(base, card, random);
                    } else {
                        book(base, card, random);
                    }
                } else if (random.nextBoolean()) {
                    cancel(base, card);
                } else {
                    reschedule(base, card, random);
                }
            } catch (IOException e) {
                count("no answer");
                card.certain = false;
                pause(); // the instance is down or restarting; do not spin
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void book(String base, CardView card, Random random) throws IOException, InterruptedException {
        long slot = slot(random);
        Answer a = send(base, "POST", "/api/v1/bookings", card.token, new JsonObject().put("slotId", slot), true);
        if (a.status == 201) {
            acknowledge(card, a.json());
        } else if (a.status == 409 && "already_booked".equals(a.code())) {
            card.certain = false; // an earlier uncertain attempt booked after all
        } else if (!a.definite()) {
            card.certain = false;
        }
    }

    private void holdThenMaybeConfirm(String base, CardView card, Random random) throws IOException, InterruptedException {
        Answer hold = send(base, "POST", "/api/v1/holds", card.token, new JsonObject().put("slotId", slot(random)), true);
        if (hold.status != 201) {
            if (!hold.definite() || "already_booked".equals(hold.code())) {
                card.certain = false;
            }
            return;
        }
        if (random.nextInt(3) == 0) {
            return; // abandoned: the seat must come back when the hold runs out
        }
        Answer confirm = send(base, "POST", "/api/v1/holds/" + hold.json().getString("holdId") + "/confirm", card.token,
                new JsonObject(), true);
        if (confirm.status == 201) {
            acknowledge(card, confirm.json());
        } else if (!confirm.definite()) {
            card.certain = false;
        }
    }

    private void cancel(String base, CardView card) throws IOException, InterruptedException {
        Answer a = send(base, "DELETE", "/api/v1/bookings/" + card.code, card.token, null, false);
        if (a.status == 200) {
            acknowledged.incrementAndGet();
            card.code = null;
        } else if (!a.definite() || a.status == 404) {
            card.certain = false;
        }
    }

    private void reschedule(String base, CardView card, Random random) throws IOException, InterruptedException {
        Answer a = send(base, "POST", "/api/v1/bookings/" + card.code + "/reschedule", card.token,
                new JsonObject().put("slotId", slot(random)), true);
        if (a.status == 200) {
            acknowledge(card, a.json());
        } else if (!a.definite() || a.status == 404) {
            card.certain = false;
        }
    }

    /** Asks the service what the card has now (read from the database): certain again. */
    private void learn(String base, CardView card) throws IOException, InterruptedException {
        Answer a = send(base, "GET", "/api/v1/residents/me", card.token, null, false);
        if (a.status != 200) {
            if (!a.definite()) {
                pause();
            }
            return;
        }
        card.code = null;
        JsonArray bookings = a.json().getJsonArray("bookings");
        for (int i = 0; i < bookings.size(); i++) {
            JsonObject b = bookings.getJsonObject(i);
            if ("active".equals(b.getString("status"))) {
                card.code = b.getString("code");
                card.slotId = b.getLong("slotId");
            }
        }
        card.certain = true;
    }

    private void acknowledge(CardView card, JsonObject booking) {
        acknowledged.incrementAndGet();
        card.code = booking.getString("code");
        card.slotId = booking.getLong("slotId");
        acknowledgedCodes.add(card.code);
    }

    private long slot(Random random) {
        return slots.get(random.nextInt(slots.size()))[0];
    }

    private record Answer(int status, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }

        String code() {
            try {
                return json().getString("error");
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** A 2xx or 4xx: the service says for sure what happened. */
        boolean definite() {
            return status < 500;
        }
    }

    private Answer send(String base, String method, String path, String token, JsonObject body, boolean idempotent)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (idempotent) {
            b.header("Idempotency-Key", UUID.randomUUID().toString());
        }
        requests.incrementAndGet();
        long started = System.nanoTime();
        HttpResponse<String> r;
        try {
            r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } finally {
            longestNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
        }
        String code;
        try {
            code = r.statusCode() + " " + new JsonObject(r.body()).getString("error", "");
        } catch (RuntimeException e) {
            code = r.statusCode() + " (not JSON)";
        }
        count(code.trim());
        if (r.statusCode() >= 500 && !(r.statusCode() == 503 && r.headers().firstValue("Retry-After").isPresent())) {
            serverErrors.incrementAndGet();
            if (serverErrorSamples.size() < 10) {
                serverErrorSamples.add(method + " " + path + " -> " + r.statusCode() + " " + r.body());
            }
        }
        return new Answer(r.statusCode(), r.body());
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
    }

    private static void pause() {
        try {
            Thread.sleep(20); // back-off while nothing answers
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the threads and waits for them. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(30_000);
        }
    }

    /**
     * Everything that must hold in the database, as a list of violations (empty = all good):
     * every acknowledged booking exists; each card the clients know for sure has exactly the active
     * booking they were last told about; no slot is above its limit; the seat counters equal the
     * rows they count.
     */
    public List<String> violations(Config.DatabaseUrl db) throws Exception {
        List<String> problems = new ArrayList<>();
        try (Connection c = TestDatabase.connect(db)) {
            Set<String> codes = new java.util.HashSet<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT code FROM bookings")) {
                while (rs.next()) {
                    codes.add(rs.getString(1));
                }
            }
            for (String code : acknowledgedCodes) {
                if (!codes.contains(code)) {
                    problems.add("acknowledged booking " + code + " is not in the database");
                }
            }
            Map<Long, String[]> active = new HashMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT c.notice_number, b.code, b.slot_id FROM bookings b JOIN cards c ON c.id = b.card_id WHERE b.status = 'active'")) {
                while (rs.next()) {
                    active.put(Long.parseLong(rs.getString(1)), new String[] {rs.getString(2), Long.toString(rs.getLong(3))});
                }
            }
            for (CardView card : cards) {
                if (!card.certain) {
                    continue;
                }
                String[] row = active.get(card.notice);
                if (card.code == null && row != null) {
                    problems.add("card " + card.notice + " was told it has no booking, but " + row[0] + " is active");
                } else if (card.code != null && (row == null || !row[0].equals(card.code) || Long.parseLong(row[1]) != card.slotId)) {
                    problems.add("card " + card.notice + " was told it has " + card.code + " in slot " + card.slotId
                            + ", the database has " + (row == null ? "nothing active" : row[0] + " in slot " + row[1]));
                }
            }
            problems.addAll(seatViolations(c));
        }
        return problems;
    }

    /** Acknowledged bookings the database does not have (counted for the figures; violations() names them). */
    public long lostBookings(Config.DatabaseUrl db) throws Exception {
        Set<String> codes = new java.util.HashSet<>();
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT code FROM bookings")) {
            while (rs.next()) {
                codes.add(rs.getString(1));
            }
        }
        return acknowledgedCodes.stream().filter(code -> !codes.contains(code)).count();
    }

    /** Slots with more active bookings, or booked and held seats, than their capacity (counted for the figures). */
    public static long overbookedSlots(Config.DatabaseUrl db) throws Exception {
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT count(*) FROM slots s WHERE s.booked + s.held > s.capacity OR s.capacity <"
                        + " (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'active' AND NOT b.override)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Slots above their limit, or whose counters differ from the bookings and holds they count. */
    public static List<String> seatViolations(Connection c) throws Exception {
        List<String> problems = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT s.id, s.capacity, s.booked, s.held, s.override_booked,"
                        + " (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'active' AND NOT b.override),"
                        + " (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'active' AND b.override),"
                        + " (SELECT count(*) FROM holds h WHERE h.slot_id = s.id AND h.status = 'active')"
                        + " FROM slots s ORDER BY s.id");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong(1);
                int capacity = rs.getInt(2);
                int booked = rs.getInt(3);
                int held = rs.getInt(4);
                int overrides = rs.getInt(5);
                long rows = rs.getLong(6);
                long overrideRows = rs.getLong(7);
                long holdRows = rs.getLong(8);
                if (rows > capacity || booked + held > capacity) {
                    problems.add("slot " + id + " is overbooked: " + rows + " bookings, " + held + " held, capacity " + capacity);
                }
                if (booked != rows || held != holdRows || overrides != overrideRows) {
                    problems.add("slot " + id + " counts booked=" + booked + " held=" + held + " overrides=" + overrides
                            + " but has " + rows + " bookings, " + holdRows + " holds, " + overrideRows + " overrides");
                }
            }
        }
        return problems;
    }

    /** Free seats per slot for the web channel as the database counts them. */
    public static Map<Long, Integer> webRemaining(Connection c) throws Exception {
        Map<Long, Integer> out = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT id, greatest(0, quota_web - booked - held) FROM slots WHERE NOT blocked")) {
            while (rs.next()) {
                out.put(rs.getLong(1), rs.getInt(2));
            }
        }
        return out;
    }

    public String summary() {
        return requests.get() + " requests, " + acknowledged.get() + " acknowledged changes, outcomes " + new java.util.TreeMap<>(
                outcomes.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get())));
    }
}
