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
 * An administrator's change is kept as a rule of its own (label "admin") so that days planned
 * later get the same seats; a change that only carries out the site's opening rules after they
 * were edited ({@code followsRules}) is not, since the rules say it already.
 */
public record CapacityChange(String siteId, LocalDate from, LocalDate to, Set<DayOfWeek> weekdays, LocalTime start,
                             LocalTime end, int counters, int perCounter, Integer quotaWeb, Integer quotaPhone,
                             Displacement displacement, String actor, String reason, boolean followsRules) {

    public enum Displacement { KEEP_AS_OVERRIDE, CANCEL }

    public CapacityChange(String siteId, LocalDate from, LocalDate to, Set<DayOfWeek> weekdays, LocalTime start,
                          LocalTime end, int counters, int perCounter, Integer quotaWeb, Integer quotaPhone,
                          Displacement displacement, String actor, String reason) {
        this(siteId, from, to, weekdays, start, end, counters, perCounter, quotaWeb, quotaPhone, displacement, actor, reason, false);
    }

    public int capacity() {
        return counters * perCounter;
    }
}
