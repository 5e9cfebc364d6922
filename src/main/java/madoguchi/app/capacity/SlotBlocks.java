package madoguchi.app.capacity;

import io.vertx.core.Future;

/** Blocking a slot takes it out of booking (operators may still override into it). */
public interface SlotBlocks {

    /** Sets the slot's blocked flag; returns its site, or null when there is no such slot. */
    Future<String> setBlocked(long slotId, boolean blocked, String reason);
}
