package madoguchi.app.staff;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** The audit trail of operator and administrator actions: who, when, what, before and after, why. */
public interface Audit {

    Future<Void> record(Principal who, String action, String target, JsonObject before, JsonObject after, String reason);
}
