package madoguchi.domain;

import java.time.Instant;

/** A slot row as the database holds it; {@code version} grows with every change to the row. */
public record SlotSnapshot(long id, String siteId, Instant start, Instant end, SlotLimits limits,
                           int booked, int held, int override, long version) {
}
