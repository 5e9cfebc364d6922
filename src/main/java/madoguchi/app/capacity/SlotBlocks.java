package madoguchi.app.capacity;

import io.vertx.core.Future;
import madoguchi.app.AuditEntry;

/** Blocking a slot takes it out of booking (operators may still override into it). */
public interface SlotBlocks {

    /**
     * Sets the slot's blocked flag and writes {@code audit} in the same transaction; returns its
     * site, or null when there is no such slot (then nothing is written).
     */
    Future<String> setBlocked(long slotId, boolean blocked, String reason, AuditEntry audit);
}
