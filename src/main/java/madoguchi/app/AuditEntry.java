package madoguchi.app;

import io.vertx.core.json.JsonObject;

/**
 * One row of the audit trail: who did what to which target, the state before and after, and why.
 * A change and its entry are written in one transaction, or neither is (app/staff/StaffActions).
 */
public record AuditEntry(String actor, String role, String action, String target, JsonObject before, JsonObject after,
                         String reason) {
}
