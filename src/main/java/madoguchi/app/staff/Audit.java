package madoguchi.app.staff;

import io.vertx.core.Future;
import madoguchi.app.AuditEntry;

/**
 * The audit trail of what staff do outside any other change (signing in and out). A change of
 * bookings, slots, cards, sites or users carries its entry into its own transaction instead
 * (see {@link StaffActions}).
 */
public interface Audit {

    Future<Void> record(AuditEntry entry);
}
