package madoguchi.app.calls;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The phone line's load for staffing the call center, from the stored call records (Tokyo days):
 * calls per day and per hour of the day, their outcomes, time in the operator queue (p50/p90, of
 * the calls that entered it), calls abandoned in the queue, and callbacks asked and done.
 */
public record CallsReport(LocalDate from, LocalDate to, List<Day> days, int[] callsPerHour, Day total) {

    /** One day (or the whole range): {@code outcomes} by name ("in_progress" for a call not yet ended). */
    public record Day(LocalDate date, int calls, Map<String, Integer> outcomes, int queued, int bridged,
                      int abandonedInQueue, Double queueSecondsP50, Double queueSecondsP90, int callbacksAsked,
                      int callbacksDone) {
    }
}
