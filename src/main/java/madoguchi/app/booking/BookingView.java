package madoguchi.app.booking;

import java.time.Instant;

/** A booking as residents and operators see it. */
public record BookingView(long id, String code, long cardId, String siteId, long slotId, Instant start, Instant end,
                          String status, String channel, boolean override, String overrideReason, String bookedBy,
                          Instant createdAt) {
}
