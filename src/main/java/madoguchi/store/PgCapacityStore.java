package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.capacity.CapacityChange;
import madoguchi.app.capacity.CapacityResult;
import madoguchi.app.capacity.CapacityStore;
import madoguchi.domain.SlotLimits;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a capacity change under row locks: the database, not memory, says what is booked, so
 * the change is right even while bookings stream in from several instances.
 */
public final class PgCapacityStore implements CapacityStore {
    private static final String LOCK = "SELECT " + Rows.SLOT_COLUMNS
            + " FROM slots s WHERE s.site_id = $1 AND s.start_at = ANY($2::timestamptz[]) ORDER BY s.id FOR UPDATE";
    private static final String HOLDS = "SELECT h.id, h.card_id, h.slot_id, h.channel FROM holds h"
            + " WHERE h.slot_id = ANY($1) AND h.status = 'active' ORDER BY h.created_at DESC";
    // Issued and no-show bookings keep their seats (the slot happened): when a cut leaves fewer
    // seats than they fill, they are re-counted apart as overrides, never cancelled; active
    // bookings are displaced first.
    private static final String BOOKINGS = "SELECT b.id, b.code, b.card_id, b.slot_id, b.channel, b.status,"
            + " " + PgReminders.MOBILE + " AS has_phone FROM bookings b JOIN cards c ON c.id = b.card_id"
            + " WHERE b.slot_id = ANY($1) AND b.status IN ('active', 'issued', 'no_show') AND NOT b.override"
            + " ORDER BY (b.status = 'active') DESC, b.created_at DESC, b.id DESC";

    private final Pool pool;
    private final PgChangeNews news;

    public PgCapacityStore(Pool pool, PgChangeNews news) {
        this.pool = pool;
        this.news = news;
    }

    @Override
    public Future<CapacityResult> apply(CapacityChange change, List<Target> targets, boolean dryRun) {
        return attempt(change, targets, dryRun, false, 0);
    }

    @Override
    public Future<CapacityResult> close(CapacityChange change, List<Target> targets, boolean dryRun) {
        return attempt(change, targets, dryRun, true, 0);
    }

    private static final String UNCLOSE = "DELETE FROM closures WHERE site_id = $1 AND day = $2 RETURNING reason";
    // the slots the closure blocked (their block reason is the closure's) get the planned seats back
    private static final String RESTORE = "UPDATE slots s SET capacity = greatest(x.cap, s.booked + s.held),"
            + " quota_web = least(x.web, greatest(x.cap, s.booked + s.held)),"
            + " quota_phone = least(x.phone, greatest(x.cap, s.booked + s.held)),"
            + " blocked = false, block_reason = NULL, version = s.version + 1"
            + " FROM unnest($3::timestamptz[], $4::int[], $5::int[], $6::int[]) AS x(start_at, cap, web, phone)"
            + " WHERE s.site_id = $1 AND s.start_at = x.start_at AND s.blocked AND s.block_reason IS NOT DISTINCT FROM $2";
    private static final String OPEN_MISSING = "INSERT INTO slots (site_id, start_at, end_at, capacity, quota_web, quota_phone, label)"
            + " SELECT $1, x.start_at, x.end_at, x.cap, x.web, x.phone, x.label"
            + " FROM unnest($2::timestamptz[], $3::timestamptz[], $4::int[], $5::int[], $6::int[], $7::text[])"
            + "  AS x(start_at, end_at, cap, web, phone, label)"
            + " ON CONFLICT (site_id, start_at) DO NOTHING";

    @Override
    public Future<Reopened> reopen(String siteId, java.time.LocalDate day, List<Planned> plan, String actor, String reason,
                                   boolean dryRun) {
        Future<Reopened> work = pool.withTransaction(conn -> conn.preparedQuery(UNCLOSE).execute(Tuple.of(siteId, day)).compose(gone -> {
            if (gone.size() == 0) {
                return Future.succeededFuture(new Reopened(false, 0, 0));
            }
            String closedFor = gone.iterator().next().getString("reason");
            int n = plan.size();
            OffsetDateTime[] starts = new OffsetDateTime[n];
            OffsetDateTime[] ends = new OffsetDateTime[n];
            Integer[] cap = new Integer[n];
            Integer[] web = new Integer[n];
            Integer[] phone = new Integer[n];
            String[] label = new String[n];
            for (int i = 0; i < n; i++) {
                Planned p = plan.get(i);
                starts[i] = Rows.time(p.start());
                ends[i] = Rows.time(p.end());
                cap[i] = p.limits().capacity();
                web[i] = p.limits().quotaWeb();
                phone[i] = p.limits().quotaPhone();
                label[i] = p.label();
            }
            return conn.preparedQuery(RESTORE).execute(Tuple.of(siteId, closedFor, starts, cap, web, phone)).compose(restored ->
                    conn.preparedQuery(OPEN_MISSING).execute(Tuple.of(siteId, starts, ends, cap, web, phone, label)).compose(added -> {
                        Reopened result = new Reopened(true, restored.rowCount(), added.rowCount());
                        if (dryRun) {
                            return Future.failedFuture(new Undone(result));
                        }
                        JsonObject after = new JsonObject().put("date", day.toString()).put("slotsRestored", result.restored())
                                .put("slotsAdded", result.added());
                        return conn.preparedQuery("INSERT INTO audit_log (actor, role, action, target, before, after, reason)"
                                        + " VALUES ($1, 'admin', 'closure.undo', $2, $3, $4, $5)")
                                .execute(Tuple.of(actor, "site:" + siteId, new JsonObject().put("closed", closedFor), after, reason))
                                .compose(v -> news.slots(conn, siteId))
                                .map(result);
                    }));
        }));
        // a dry run does the same work in a transaction that is then rolled back
        return work.recover(e -> e instanceof Undone u ? Future.succeededFuture(u.result) : Future.failedFuture(e));
    }

    /** The result of a dry run, thrown to roll its transaction back. */
    private static final class Undone extends RuntimeException {
        final Reopened result;

        Undone(Reopened result) {
            super(null, null, false, false);
            this.result = result;
        }
    }

    /** A deadlock with a seat batch touching the same rows aborts only one side: try again. */
    private Future<CapacityResult> attempt(CapacityChange change, List<Target> targets, boolean dryRun, boolean closure,
                                           int retries) {
        return run(change, targets, dryRun, closure).recover(failure -> retries < 3 && PgSeatJournal.isRetryable(failure)
                ? attempt(change, targets, dryRun, closure, retries + 1) : Future.failedFuture(failure));
    }

    private Future<CapacityResult> run(CapacityChange change, List<Target> targets, boolean dryRun, boolean closure) {
        if (dryRun) {
            // run the same work in a transaction that is always rolled back
            return pool.withTransaction(conn -> work(conn, change, targets, true, closure)
                    .compose(result -> Future.<CapacityResult>failedFuture(new DryRun(result))))
                    .recover(e -> e instanceof DryRun ? Future.succeededFuture(((DryRun) e).result) : Future.failedFuture(e));
        }
        return pool.withTransaction(conn -> work(conn, change, targets, false, closure));
    }

    private Future<CapacityResult> work(SqlConnection conn, CapacityChange change, List<Target> targets, boolean dryRun,
                                        boolean closure) {
        OffsetDateTime[] starts = targets.stream().map(t -> Rows.time(t.start())).toArray(OffsetDateTime[]::new);
        SlotLimits limits = limits(change);
        return conn.preparedQuery(LOCK).execute(Tuple.tuple().addString(change.siteId()).addValue(starts)).compose(rows -> {
            Map<Long, Row> existing = new HashMap<>();
            Map<Instant, Long> byStart = new HashMap<>();
            Map<Long, Integer> overflow = new HashMap<>();
            java.util.TreeSet<Integer> capacitiesBefore = new java.util.TreeSet<>();
            int blockedBefore = 0;
            for (Row r : rows) {
                capacitiesBefore.add(r.getInteger("capacity"));
                if (r.getBoolean("blocked")) {
                    blockedBefore++;
                }
                existing.put(r.getLong("id"), r);
                byStart.put(Rows.instant(r.getOffsetDateTime("start_at")), r.getLong("id"));
                int over = r.getInteger("booked") + r.getInteger("held") - limits.capacity();
                if (over > 0) {
                    overflow.put(r.getLong("id"), over);
                }
            }
            Long[] crowded = overflow.keySet().toArray(new Long[0]);
            int blockedFinal = blockedBefore;
            return conn.preparedQuery(HOLDS).execute(Tuple.of(crowded)).compose(holds ->
                    conn.preparedQuery(BOOKINGS).execute(Tuple.of(crowded)).compose(bookings -> {
                        Map<Long, Integer> left = new HashMap<>(overflow);
                        List<CapacityResult.Displaced> displaced = new ArrayList<>();
                        List<java.util.UUID> holdIds = new ArrayList<>();
                        List<Long> bookingIds = new ArrayList<>();
                        List<Long> endedIds = new ArrayList<>();
                        for (Row h : holds) {
                            long slot = h.getLong("slot_id");
                            if (left.getOrDefault(slot, 0) > 0) {
                                left.merge(slot, -1, Integer::sum);
                                holdIds.add(h.getUUID("id"));
                                displaced.add(new CapacityResult.Displaced("hold", null, h.getLong("card_id"), slot,
                                        startOf(existing.get(slot)), h.getString("channel"), "released", false));
                            }
                        }
                        String action = change.displacement() == CapacityChange.Displacement.CANCEL ? "cancelled" : "kept_as_override";
                        for (Row b : bookings) {
                            long slot = b.getLong("slot_id");
                            if (left.getOrDefault(slot, 0) > 0) {
                                left.merge(slot, -1, Integer::sum);
                                boolean active = b.getString("status").equals("active");
                                (active ? bookingIds : endedIds).add(b.getLong("id"));
                                String done = active ? action : "kept_as_override";
                                // the same residents the outbox below writes to: cancelled, with a phone number
                                displaced.add(new CapacityResult.Displaced("booking", b.getString("code"), b.getLong("card_id"),
                                        slot, startOf(existing.get(slot)), b.getString("channel"), done,
                                        "cancelled".equals(done) && b.getBoolean("has_phone")));
                            }
                        }
                        List<Target> added = new ArrayList<>();
                        for (Target t : targets) {
                            if (!closure && !byStart.containsKey(t.start())) {
                                added.add(t);
                            }
                        }
                        CapacityResult result = new CapacityResult(!dryRun, existing.size(), added.size(), displaced);
                        if (dryRun) {
                            return Future.succeededFuture(result);
                        }
                        JsonObject before = new JsonObject().put("slots", existing.size())
                                .put("capacities", new io.vertx.core.json.JsonArray(new ArrayList<>(capacitiesBefore)))
                                .put("blocked", blockedFinal);
                        return write(conn, change, limits, existing.keySet(), holdIds, bookingIds, endedIds, displaced, added,
                                closure, before)
                                .compose(v -> news.slots(conn, change.siteId()))
                                .map(v -> result);
                    }));
        });
    }

    private Future<Void> write(SqlConnection conn, CapacityChange change, SlotLimits limits, java.util.Set<Long> slots,
                               List<java.util.UUID> holdIds, List<Long> bookingIds, List<Long> endedIds,
                               List<CapacityResult.Displaced> displaced, List<Target> added, boolean closure,
                               JsonObject before) {
        boolean cancel = change.displacement() == CapacityChange.Displacement.CANCEL;
        String why = change.reason() == null || change.reason().isBlank() ? (closure ? "site closed" : "capacity reduced") : change.reason();
        List<Future<?>> steps = new ArrayList<>();
        steps.add(conn.preparedQuery("UPDATE holds SET status = 'released', closed_at = now() WHERE id = ANY($1)")
                .execute(Tuple.of(holdIds.toArray(new java.util.UUID[0]))));
        steps.add(conn.preparedQuery(cancel
                        ? "UPDATE bookings SET status = 'cancelled', ended_at = now(), end_reason = $2 WHERE id = ANY($1)"
                        : "UPDATE bookings SET override = true, override_reason = $2 WHERE id = ANY($1)")
                .execute(Tuple.of(bookingIds.toArray(new Long[0]), why)));
        steps.add(conn.preparedQuery("INSERT INTO booking_events (booking_id, kind, from_slot, actor, reason)"
                        + " SELECT b.id, $2, b.slot_id, $3, $4 FROM bookings b WHERE b.id = ANY($1)")
                .execute(Tuple.of(bookingIds.toArray(new Long[0]), cancel ? "cancelled" : "made_override", change.actor(), why)));
        if (!endedIds.isEmpty()) {
            steps.add(conn.preparedQuery("UPDATE bookings SET override = true, override_reason = $2 WHERE id = ANY($1)")
                    .execute(Tuple.of(endedIds.toArray(new Long[0]), why)));
        }
        // counts follow what was displaced: released holds and moved bookings leave booked/held
        steps.add(conn.preparedQuery("WITH h AS (SELECT slot_id, count(*)::int n FROM holds WHERE id = ANY($1) GROUP BY slot_id),"
                        + " b AS (SELECT slot_id, count(*)::int n FROM bookings WHERE id = ANY($2) GROUP BY slot_id),"
                        + " e AS (SELECT slot_id, count(*)::int n FROM bookings WHERE id = ANY($8) GROUP BY slot_id)"
                        + " UPDATE slots s SET capacity = $3, quota_web = $4, quota_phone = $5,"
                        + "   held = s.held - coalesce((SELECT n FROM h WHERE h.slot_id = s.id), 0),"
                        + "   booked = s.booked - coalesce((SELECT n FROM b WHERE b.slot_id = s.id), 0)"
                        + "     - coalesce((SELECT n FROM e WHERE e.slot_id = s.id), 0),"
                        + "   override_booked = s.override_booked + CASE WHEN $6 THEN 0 ELSE coalesce((SELECT n FROM b WHERE b.slot_id = s.id), 0) END"
                        + "     + coalesce((SELECT n FROM e WHERE e.slot_id = s.id), 0),"
                        + "   version = s.version + 1"
                        + " WHERE s.id = ANY($7)")
                .execute(Tuple.tuple().addValue(holdIds.toArray(new java.util.UUID[0])).addValue(bookingIds.toArray(new Long[0]))
                        .addInteger(limits.capacity()).addInteger(limits.quotaWeb()).addInteger(limits.quotaPhone())
                        .addBoolean(cancel).addValue(slots.toArray(new Long[0])).addValue(endedIds.toArray(new Long[0]))));
        if (!added.isEmpty()) {
            steps.add(conn.preparedQuery("INSERT INTO slots (site_id, start_at, end_at, capacity, quota_web, quota_phone, label)"
                            + " SELECT $1, x.s, x.e, $4, $5, $6, 'admin' FROM unnest($2::timestamptz[], $3::timestamptz[]) AS x(s, e)"
                            + " ON CONFLICT (site_id, start_at) DO NOTHING")
                    .execute(Tuple.tuple().addString(change.siteId())
                            .addValue(added.stream().map(t -> Rows.time(t.start())).toArray(OffsetDateTime[]::new))
                            .addValue(added.stream().map(t -> Rows.time(t.end())).toArray(OffsetDateTime[]::new))
                            .addInteger(limits.capacity()).addInteger(limits.quotaWeb()).addInteger(limits.quotaPhone())));
        }
        if (cancel && !bookingIds.isEmpty()) {
            // the residents are told by SMS; the message waits in the outbox, written with the change,
            // due at once: the outbox decides when it may go (at night, from 08:00)
            List<Long> ids = new ArrayList<>();
            List<String> bodies = new ArrayList<>();
            for (CapacityResult.Displaced d : displaced) {
                if (movedOut(d)) {
                    ids.add(bookingIdOf(d, bookingIds, displaced));
                    bodies.add(madoguchi.app.waitlist.DisplacementText.cancelled(d.code(), d.start()));
                }
            }
            steps.add(conn.preparedQuery("INSERT INTO sms_outbox (kind, booking_code, phone, body, created_at, next_attempt_at)"
                            + " SELECT 'city_cancelled', b.code, " + PgReminders.E164 + ", x.body, now(), '-infinity'"
                            + " FROM unnest($1::bigint[], $2::text[]) AS x(id, body)"
                            + " JOIN bookings b ON b.id = x.id JOIN cards c ON c.id = b.card_id"
                            // to a mobile number in E.164 (as Twilio needs it), never to a Japanese landline
                            + " WHERE " + PgReminders.MOBILE)
                    .execute(Tuple.tuple().addValue(ids.toArray(new Long[0])).addValue(bodies.toArray(new String[0]))));
        }
        if (closure) {
            steps.add(conn.preparedQuery("UPDATE slots SET blocked = true, block_reason = $2 WHERE id = ANY($1)")
                    .execute(Tuple.of(slots.toArray(new Long[0]), why)));
            steps.add(conn.preparedQuery("INSERT INTO closures (site_id, day, reason, created_by) VALUES ($1, $2, $3, $4)"
                            + " ON CONFLICT (site_id, day) WHERE site_id IS NOT NULL DO UPDATE SET reason = EXCLUDED.reason")
                    .execute(Tuple.of(change.siteId(), change.from(), why, change.actor())));
        } else if (!change.followsRules()) {
        // kept as a rule so that days materialised later get the same capacity
        steps.add(conn.preparedQuery("INSERT INTO opening_rules (site_id, weekdays, holidays, opens, closes, counters, per_counter,"
                        + " label, valid_from, valid_to, quota_web, quota_phone, created_by)"
                        + " VALUES ($1, $2::smallint[], 'include', $3, $4, $5, $6, 'admin', $7, $8, $9, $10, $11)")
                .execute(Tuple.tuple().addString(change.siteId())
                        .addValue(change.weekdays().stream().map(d -> (short) d.getValue()).toArray(Short[]::new))
                        .addLocalTime(change.start()).addLocalTime(change.end())
                        .addInteger(change.counters()).addInteger(change.perCounter())
                        .addLocalDate(change.from()).addLocalDate(change.to())
                        .addInteger(change.quotaWeb()).addInteger(change.quotaPhone()).addString(change.actor())));
        }
        JsonObject after = new JsonObject().put("from", change.from().toString()).put("to", change.to().toString())
                .put("weekdays", change.weekdays().stream().map(DayOfWeek::getValue).sorted().toList())
                .put("startTime", change.start().toString()).put("endTime", change.end().toString())
                .put("counters", change.counters()).put("perCounter", change.perCounter())
                .put("quota", new JsonObject().put("web", limits.quotaWeb()).put("phone", limits.quotaPhone()))
                .put("slotsChanged", slots.size()).put("slotsAdded", added.size()).put("displaced", displaced.size())
                .put("displacement", cancel ? "cancel" : "keep");
        steps.add(conn.preparedQuery("INSERT INTO audit_log (actor, role, action, target, before, after, reason)"
                        + " VALUES ($1, 'admin', $2, $3, $4, $5, $6)")
                .execute(Tuple.of(change.actor(), closure ? "closure.create" : "capacity.change",
                        "site:" + change.siteId(), before, after, change.reason())));
        return Future.all(steps).mapEmpty();
    }

    /** An active booking this change displaced (issued and no-show bookings are only re-counted). */
    private static boolean movedOut(CapacityResult.Displaced d) {
        return "booking".equals(d.kind()) && !"kept_as_override".equals(d.action());
    }

    private static long bookingIdOf(CapacityResult.Displaced d, List<Long> bookingIds, List<CapacityResult.Displaced> displaced) {
        int i = 0;
        for (CapacityResult.Displaced x : displaced) {
            if (movedOut(x)) {
                if (x == d) {
                    return bookingIds.get(i);
                }
                i++;
            }
        }
        throw new IllegalStateException("displaced booking not in the list");
    }

    private static SlotLimits limits(CapacityChange change) {
        int capacity = change.capacity();
        int phone = change.quotaPhone() == null ? capacity : change.quotaPhone();
        int web = change.quotaWeb() == null ? phone : change.quotaWeb();
        return new SlotLimits(capacity, web, phone, false);
    }

    private static Instant startOf(Row slot) {
        return Rows.instant(slot.getOffsetDateTime("start_at"));
    }

    private static final class DryRun extends RuntimeException {
        final CapacityResult result;

        DryRun(CapacityResult result) {
            super(null, null, false, false);
            this.result = result;
        }
    }
}
