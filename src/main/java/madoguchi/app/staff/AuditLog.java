package madoguchi.app.staff;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/** Reading the audit trail back: filtered, newest first. */
public interface AuditLog {

    /** Null fields do not filter; {@code action} matches a prefix ("booking." finds every booking action). */
    record Filter(String actor, String action, String target, Instant from, Instant to, Long beforeId, int limit) {
    }

    record Entry(long id, Instant at, String actor, String role, String action, String target, JsonObject before,
                 JsonObject after, String reason) {
    }

    Future<List<Entry>> find(Filter filter);
}
