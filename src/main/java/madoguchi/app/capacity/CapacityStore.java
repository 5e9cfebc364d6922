package madoguchi.app.capacity;

import io.vertx.core.Future;

import java.time.Instant;
import java.util.List;

public interface CapacityStore {

    /** A slot the change should leave with the new limits, existing or to be opened. */
    record Target(Instant start, Instant end) {
    }

    /** In one transaction: locks the slots, finds what is displaced, and (unless a dry run) applies it all. */
    Future<CapacityResult> apply(CapacityChange change, List<Target> targets, boolean dryRun);

    /**
     * Closes a day: every existing slot of the change's range gets capacity 0 and is blocked, no
     * slot is opened, and a closure row keeps days materialised later closed too.
     */
    Future<CapacityResult> close(CapacityChange change, List<Target> targets, boolean dryRun);
}
