package madoguchi.app.capacity;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Set;

/**
 * An administrator's change of capacity: for a site, the days from {@code from} to {@code to}
 * on the given weekdays, the slots starting in [{@code start}, {@code end}), staffed with
 * {@code counters} counters serving {@code perCounter} residents each, and channel quotas (null =
 * the whole capacity). Slots that do not exist yet in that range are opened (extended hours).
 * Bookings beyond the new capacity are kept as overrides or cancelled, as {@code displacement} says.
 */
public record CapacityChange(String siteId, LocalDate from, LocalDate to, Set<DayOfWeek> weekdays, LocalTime start,
                             LocalTime end, int counters, int perCounter, Integer quotaWeb, Integer quotaPhone,
                             Displacement displacement, String actor, String reason) {

    public enum Displacement { KEEP_AS_OVERRIDE, CANCEL }

    public int capacity() {
        return counters * perCounter;
    }
}
