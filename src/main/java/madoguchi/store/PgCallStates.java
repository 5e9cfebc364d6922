package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.calls.CallState;
import madoguchi.app.calls.CallStates;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
