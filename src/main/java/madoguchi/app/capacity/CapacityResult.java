package madoguchi.app.capacity;

import java.time.Instant;
import java.util.List;

/** What a capacity change did (or, in a dry run, would do). */
public record CapacityResult(boolean applied, int slotsChanged, int slotsAdded, List<Displaced> displaced) {

    /**
     * A booking or hold beyond the new capacity, and what became of it; {@code texted} when it is
     * cancelled and its resident is told by SMS (the card has a phone number).
     */
    public record Displaced(String kind, String code, long cardId, long slotId, Instant start, String channel, String action,
                            boolean texted) {
    }
}
