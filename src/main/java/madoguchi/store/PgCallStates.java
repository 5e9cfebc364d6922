package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.calls.CallState;
import madoguchi.app.calls.CallStates;
import madoguchi.app.calls.CallsReport;
import io.vertx.sqlclient.RowSet;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/** Phone calls' states in {@code phone_calls} (a JSON document per call) and their answers in {@code phone_call_steps}. */
public final class PgCallStates implements CallStates {
    private final Pool pool;

    public PgCallStates(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<Optional<Saved>> load(String callSid) {
        return pool.preparedQuery("SELECT c.state, (SELECT json_object_agg(s.step, s.twiml) FROM phone_call_steps s"
                        + " WHERE s.call_sid = c.call_sid) AS answers FROM phone_calls c WHERE c.call_sid = $1")
                .execute(Tuple.of(callSid)).map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row r = rows.iterator().next();
                    Map<Integer, String> answers = new HashMap<>();
                    Object a = r.getValue("answers");
                    if (a instanceof JsonObject json) {
                        json.forEach(e -> answers.put(Integer.parseInt(e.getKey()), (String) e.getValue()));
                    }
                    return Optional.of(new Saved(state(callSid, (JsonObject) r.getValue("state")), answers));
                });
    }

    @Override
    public Future<String> save(CallState s, int step, String twiml, Instant at) {
        // one round trip: the step's answer first (the first one kept wins), the state only with a new answer
        return pool.preparedQuery("WITH step AS (INSERT INTO phone_call_steps (call_sid, step, twiml) VALUES ($1, $2, $3)"
                        + " ON CONFLICT DO NOTHING RETURNING twiml),"
                        + " call AS (INSERT INTO phone_calls (call_sid, state, seq, started_at, updated_at, outcome)"
                        + " SELECT $1, $4, $5, $6, $7, $8 WHERE EXISTS (SELECT 1 FROM step)"
                        + " ON CONFLICT (call_sid) DO UPDATE SET state = EXCLUDED.state, seq = EXCLUDED.seq,"
                        + " updated_at = EXCLUDED.updated_at, outcome = COALESCE(EXCLUDED.outcome, phone_calls.outcome))"
                        + " SELECT twiml FROM step UNION ALL"
                        + " SELECT twiml FROM phone_call_steps WHERE call_sid = $1 AND step = $2 LIMIT 1")
                .execute(Tuple.from(new Object[]{s.sid(), step, twiml, json(s), s.seq(), utc(s.startedAt()), utc(at), s.outcome()}))
                .map(rows -> rows.size() == 0 ? twiml : rows.iterator().next().getString(0));
    }

    @Override
    public Future<Void> ended(String callSid, String outcome, Instant at) {
        return pool.preparedQuery("UPDATE phone_calls SET ended_at = COALESCE(ended_at, $2), outcome = COALESCE($3, outcome)"
                        + " WHERE call_sid = $1").execute(Tuple.of(callSid, utc(at), outcome)).mapEmpty();
    }

    @Override
    public Future<Void> queued(String callSid, Instant at) {
        return pool.preparedQuery("UPDATE phone_calls SET queued_at = COALESCE(queued_at, $2) WHERE call_sid = $1")
                .execute(Tuple.of(callSid, utc(at))).mapEmpty();
    }

    @Override
    public Future<Void> leftQueue(String callSid, String result, int seconds, Instant at) {
        return pool.preparedQuery("UPDATE phone_calls SET queue_result = $2, queue_seconds = $3,"
                        + " queued_at = COALESCE(queued_at, $4) WHERE call_sid = $1")
                .execute(Tuple.of(callSid, result, seconds, utc(at.minusSeconds(seconds)))).mapEmpty();
    }

    @Override
    public Future<Boolean> bridged(String callSid, String operator, int queueSeconds, Instant at) {
        return pool.preparedQuery("UPDATE phone_calls SET operator = $2, bridged_at = $3,"
                        + " queue_seconds = COALESCE(queue_seconds, $4), queued_at = COALESCE(queued_at, $5) WHERE call_sid = $1")
                .execute(Tuple.of(callSid, operator, utc(at), queueSeconds, utc(at.minusSeconds(queueSeconds))))
                .map(rows -> rows.rowCount() > 0);
    }

    @Override
    public Future<List<Bridged>> bridgedTo(String operator, Instant since) {
        return pool.preparedQuery("SELECT call_sid, state, bridged_at, COALESCE(queue_seconds, 0) AS waited FROM phone_calls"
                        + " WHERE operator = $1 AND bridged_at > $2 ORDER BY bridged_at LIMIT 20")
                .execute(Tuple.of(operator, utc(since))).map(rows -> {
                    List<Bridged> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Bridged(state(r.getString("call_sid"), (JsonObject) r.getValue("state")),
                                r.getOffsetDateTime("bridged_at").toInstant(), r.getInteger("waited")));
                    }
                    return out;
                });
    }

    @Override
    public Future<Integer> forgetSteps(Instant before) {
        return pool.preparedQuery("DELETE FROM phone_call_steps s USING phone_calls c"
                        + " WHERE c.call_sid = s.call_sid AND c.updated_at < $1")
                .execute(Tuple.of(utc(before))).map(rows -> rows.rowCount());
    }

    @Override
    public Future<CallsReport> report(LocalDate from, LocalDate to) {
        Tuple range = Tuple.of(from, to);
        // per Tokyo day, and a last row (day NULL) for the whole range
        Future<RowSet<Row>> days = pool.preparedQuery("WITH c AS (SELECT (started_at AT TIME ZONE 'Asia/Tokyo')::date AS day, *"
                + " FROM phone_calls WHERE (started_at AT TIME ZONE 'Asia/Tokyo')::date BETWEEN $1 AND $2)"
                + " SELECT day, count(*) AS calls, count(queued_at) AS queued,"
                + " count(*) FILTER (WHERE operator IS NOT NULL OR queue_result = 'bridged') AS bridged,"
                + " count(*) FILTER (WHERE queue_result = 'hangup') AS abandoned,"
                + " percentile_cont(0.5) WITHIN GROUP (ORDER BY queue_seconds) AS p50,"
                + " percentile_cont(0.9) WITHIN GROUP (ORDER BY queue_seconds) AS p90"
                + " FROM c GROUP BY GROUPING SETS ((day), ()) ORDER BY day NULLS LAST").execute(range);
        Future<RowSet<Row>> outcomes = pool.preparedQuery("SELECT (started_at AT TIME ZONE 'Asia/Tokyo')::date AS day,"
                + " COALESCE(outcome, CASE WHEN ended_at IS NULL THEN 'in_progress' ELSE 'abandoned' END) AS outcome, count(*) AS n"
                + " FROM phone_calls WHERE (started_at AT TIME ZONE 'Asia/Tokyo')::date BETWEEN $1 AND $2 GROUP BY 1, 2").execute(range);
        Future<RowSet<Row>> hours = pool.preparedQuery("SELECT extract(hour FROM started_at AT TIME ZONE 'Asia/Tokyo')::int AS hour,"
                + " count(*) AS n FROM phone_calls WHERE (started_at AT TIME ZONE 'Asia/Tokyo')::date BETWEEN $1 AND $2 GROUP BY 1").execute(range);
        Future<RowSet<Row>> callbacks = pool.preparedQuery("SELECT day, sum(asked)::int AS asked, sum(done)::int AS done FROM ("
                + " SELECT (requested_at AT TIME ZONE 'Asia/Tokyo')::date AS day, 1 AS asked, 0 AS done FROM callback_requests"
                + " UNION ALL SELECT (done_at AT TIME ZONE 'Asia/Tokyo')::date, 0, 1 FROM callback_requests WHERE done_at IS NOT NULL) x"
                + " WHERE day BETWEEN $1 AND $2 GROUP BY day").execute(range);
        return Future.all(days, outcomes, hours, callbacks).map(all -> {
            Map<LocalDate, Map<String, Integer>> byDay = new TreeMap<>();
            Map<String, Integer> allOutcomes = new TreeMap<>();
            for (Row r : outcomes.result()) {
                int n = r.getInteger("n");
                byDay.computeIfAbsent(r.getLocalDate("day"), d -> new TreeMap<>()).merge(r.getString("outcome"), n, Integer::sum);
                allOutcomes.merge(r.getString("outcome"), n, Integer::sum);
            }
            Map<LocalDate, int[]> asked = new TreeMap<>();
            int[] askedAll = new int[2];
            for (Row r : callbacks.result()) {
                asked.put(r.getLocalDate("day"), new int[]{r.getInteger("asked"), r.getInteger("done")});
                askedAll[0] += r.getInteger("asked");
                askedAll[1] += r.getInteger("done");
            }
            int[] perHour = new int[24];
            for (Row r : hours.result()) {
                perHour[r.getInteger("hour")] = r.getInteger("n");
            }
            List<CallsReport.Day> list = new ArrayList<>();
            CallsReport.Day total = new CallsReport.Day(null, 0, allOutcomes, 0, 0, 0, null, null, askedAll[0], askedAll[1]);
            java.util.Set<LocalDate> seen = new java.util.HashSet<>();
            for (Row r : days.result()) {
                LocalDate day = r.getLocalDate("day");
                int[] cb = day == null ? askedAll : asked.getOrDefault(day, new int[2]);
                CallsReport.Day d = new CallsReport.Day(day, r.getInteger("calls"),
                        day == null ? allOutcomes : byDay.getOrDefault(day, Map.of()), r.getInteger("queued"),
                        r.getInteger("bridged"), r.getInteger("abandoned"), r.getDouble("p50"), r.getDouble("p90"), cb[0], cb[1]);
                if (day == null) {
                    total = d;
                } else {
                    list.add(d);
                    seen.add(day);
                }
            }
            // days with callbacks done but no call of their own
            for (Map.Entry<LocalDate, int[]> e : asked.entrySet()) {
                if (!seen.contains(e.getKey())) {
                    list.add(new CallsReport.Day(e.getKey(), 0, Map.of(), 0, 0, 0, null, null, e.getValue()[0], e.getValue()[1]));
                }
            }
            list.sort(java.util.Comparator.comparing(CallsReport.Day::date));
            return new CallsReport(from, to, list, perHour, total);
        });
    }

    private static JsonObject json(CallState s) {
        JsonObject vars = new JsonObject();
        s.vars().forEach(vars::put);
        return new JsonObject().put("from", s.from()).put("language", s.language()).put("failures", s.failures())
                .put("seq", s.seq()).put("awaiting", s.awaiting()).put("vars", vars).put("cardId", s.cardId())
                .put("siteId", s.siteId()).put("holdId", s.holdId() == null ? null : s.holdId().toString())
                .put("offeredSlot", s.offeredSlot()).put("slotStart", text(s.slotStart())).put("code", s.code())
                .put("lockedUntil", text(s.lockedUntil())).put("told", s.told()).put("outcome", s.outcome())
                .put("enqueued", s.enqueued()).put("startedAt", text(s.startedAt()));
    }

    private static CallState state(String sid, JsonObject j) {
        Map<String, String> vars = new HashMap<>();
        JsonObject v = j.getJsonObject("vars", new JsonObject());
        v.forEach(e -> vars.put(e.getKey(), String.valueOf(e.getValue())));
        String hold = j.getString("holdId");
        return new CallState(sid, j.getString("from"), j.getString("language"), j.getInteger("failures", 0),
                j.getInteger("seq", 0), j.getString("awaiting"), vars, j.getLong("cardId"), j.getString("siteId"),
                hold == null ? null : UUID.fromString(hold), j.getLong("offeredSlot", -1L), instant(j.getString("slotStart")),
                j.getString("code"), instant(j.getString("lockedUntil")), j.getString("told"), j.getString("outcome"),
                j.getBoolean("enqueued", false), instant(j.getString("startedAt")));
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    private static OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
