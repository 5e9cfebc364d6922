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

/**
 * Phone calls' states in {@code phone_calls} (a JSON document per call) and their answers in
 * {@code phone_call_steps}. Steps' answers and claims are written in batches ({@link WriteBatches}):
 * the webhooks waiting at one moment share one statement and one commit.
 */
public final class PgCallStates implements CallStates {
    /** As many steps as one statement keeps; more wait for the next batch. */
    static final int MAX_BATCH = 500;
    private final Pool pool;
    private final WriteBatches<StepSave, String> saves;
    private final WriteBatches<StepClaim, Boolean> claims;

    public PgCallStates(Pool pool) {
        this.pool = pool;
        this.saves = new WriteBatches<>(this::writeSaves, MAX_BATCH);
        this.claims = new WriteBatches<>(this::writeClaims, MAX_BATCH);
    }

    @Override
    public Future<Optional<Saved>> load(String callSid) {
        return pool.preparedQuery("SELECT c.state, (SELECT json_object_agg(s.step, s.twiml) FROM phone_call_steps s"
                        + " WHERE s.call_sid = c.call_sid AND s.twiml IS NOT NULL) AS answers FROM phone_calls c WHERE c.call_sid = $1")
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
        return saves.submit(new StepSave(s, step, twiml, at)).compose(kept -> kept != null ? Future.succeededFuture(kept)
                // kept by another transaction that committed while the batch ran: read it now
                : answer(s.sid(), step).map(again -> again.orElse(twiml)));
    }

    /** One step's answer and the state it leads to, waiting for the next batch. */
    private record StepSave(CallState state, int step, String twiml, Instant at) {
        String key() {
            return state.sid() + '\n' + step;
        }
    }

    // The steps' answers of a batch, the first kept for each step winning (a claimed step, whose row
    // has no answer yet, takes this one); the call's state only along with a new answer, the latest
    // step of a call in the batch. An answer kept before is returned instead; null: kept by a
    // transaction this statement could not see yet.
    private static final String SAVE_STEPS = "WITH x AS (SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[],"
            + " $5::int[], $6::timestamptz[], $7::timestamptz[], $8::text[])"
            + "   AS x(sid, step, twiml, state, seq, started_at, at, outcome)),"
            + " kept AS (INSERT INTO phone_call_steps AS p (call_sid, step, twiml) SELECT sid, step, twiml FROM x"
            + "   ON CONFLICT (call_sid, step) DO UPDATE SET twiml = EXCLUDED.twiml WHERE p.twiml IS NULL"
            + "   RETURNING call_sid, step),"
            + " call AS (INSERT INTO phone_calls (call_sid, state, seq, started_at, updated_at, outcome)"
            + "   SELECT DISTINCT ON (x.sid) x.sid, x.state::jsonb, x.seq, x.started_at, x.at, x.outcome"
            + "   FROM x JOIN kept k ON k.call_sid = x.sid AND k.step = x.step ORDER BY x.sid, x.seq DESC"
            + "   ON CONFLICT (call_sid) DO UPDATE SET state = EXCLUDED.state, seq = EXCLUDED.seq,"
            + "   updated_at = EXCLUDED.updated_at, outcome = COALESCE(EXCLUDED.outcome, phone_calls.outcome))"
            + " SELECT x.sid, x.step, CASE WHEN k.call_sid IS NOT NULL THEN x.twiml"
            + "   ELSE (SELECT s.twiml FROM phone_call_steps s WHERE s.call_sid = x.sid AND s.step = x.step) END AS twiml"
            + " FROM x LEFT JOIN kept k ON k.call_sid = x.sid AND k.step = x.step";

    private Future<List<String>> writeSaves(List<StepSave> batch) {
        // one row per step: a step saved twice in the batch (two views of one call) is written once, the first winning
        Map<String, StepSave> unique = new java.util.LinkedHashMap<>();
        for (StepSave save : batch) {
            unique.putIfAbsent(save.key(), save);
        }
        int n = unique.size();
        String[] sids = new String[n];
        Integer[] steps = new Integer[n];
        String[] twimls = new String[n];
        String[] states = new String[n];
        Integer[] seqs = new Integer[n];
        OffsetDateTime[] started = new OffsetDateTime[n];
        OffsetDateTime[] ats = new OffsetDateTime[n];
        String[] outcomes = new String[n];
        int i = 0;
        for (StepSave save : unique.values()) {
            CallState s = save.state();
            sids[i] = s.sid();
            steps[i] = save.step();
            twimls[i] = save.twiml();
            states[i] = json(s).encode();
            seqs[i] = s.seq();
            started[i] = utc(s.startedAt());
            ats[i] = utc(save.at());
            outcomes[i] = s.outcome();
            i++;
        }
        return pool.preparedQuery(SAVE_STEPS)
                .execute(Tuple.of(sids, steps, twimls, states, seqs, started, ats, outcomes))
                .map(rows -> {
                    Map<String, String> kept = new HashMap<>();
                    for (Row r : rows) {
                        kept.put(r.getString("sid") + '\n' + r.getInteger("step"), r.getString("twiml"));
                    }
                    List<String> out = new ArrayList<>(batch.size());
                    for (StepSave save : batch) {
                        out.add(kept.get(save.key()));
                    }
                    return out;
                });
    }

    @Override
    public Future<Boolean> claim(String callSid, int step, Instant at) {
        return claims.submit(new StepClaim(callSid, step, at));
    }

    private record StepClaim(String sid, int step, Instant at) {
        String key() {
            return sid + '\n' + step;
        }
    }

    private static final String CLAIM_STEPS = "INSERT INTO phone_call_steps (call_sid, step, claimed_at)"
            + " SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[]) ON CONFLICT DO NOTHING RETURNING call_sid, step";

    private Future<List<Boolean>> writeClaims(List<StepClaim> batch) {
        Map<String, StepClaim> unique = new java.util.LinkedHashMap<>();
        for (StepClaim c : batch) {
            unique.putIfAbsent(c.key(), c);
        }
        int n = unique.size();
        String[] sids = new String[n];
        Integer[] steps = new Integer[n];
        OffsetDateTime[] ats = new OffsetDateTime[n];
        int i = 0;
        for (StepClaim c : unique.values()) {
            sids[i] = c.sid();
            steps[i] = c.step();
            ats[i] = utc(c.at());
            i++;
        }
        return pool.preparedQuery(CLAIM_STEPS).execute(Tuple.of(sids, steps, ats)).map(rows -> {
            java.util.Set<String> made = new java.util.HashSet<>();
            for (Row r : rows) {
                made.add(r.getString("call_sid") + '\n' + r.getInteger("step"));
            }
            // a step claimed twice in one batch: only its first claim is this instance's to act on
            List<Boolean> out = new ArrayList<>(batch.size());
            for (StepClaim c : batch) {
                out.add(made.remove(c.key()));
            }
            return out;
        });
    }

    @Override
    public Future<Optional<String>> answer(String callSid, int step) {
        return pool.preparedQuery("SELECT twiml FROM phone_call_steps WHERE call_sid = $1 AND step = $2")
                .execute(Tuple.of(callSid, step))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.ofNullable(rows.iterator().next().getString(0)));
    }

    @Override
    public Future<Void> outcome(String callSid, String outcome) {
        return pool.preparedQuery("UPDATE phone_calls SET outcome = $2, state = jsonb_set(state, '{outcome}', to_jsonb($2::text))"
                + " WHERE call_sid = $1").execute(Tuple.of(callSid, outcome)).mapEmpty();
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
