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

    /** A slot of a reopened day as the opening rules plan it. */
    record Planned(java.time.Instant start, java.time.Instant end, madoguchi.domain.SlotLimits limits, String label) {
    }

    /** A closure undone: whether there was one, the slots given their planned seats back, the slots opened anew. */
    record Reopened(boolean found, int restored, int added) {
    }

    /**
     * Undoes a site's closure of a day, with its audit row: the closure goes, the day's slots the
     * closure blocked get the seats the rules plan (never fewer than they hold) and are unblocked,
     * and planned slots that were never opened are added. A dry run says the same, writing nothing.
     */
    Future<Reopened> reopen(String siteId, java.time.LocalDate day, List<Planned> plan, String actor, String reason, boolean dryRun);
}
