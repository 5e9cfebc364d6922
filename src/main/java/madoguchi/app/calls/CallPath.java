package madoguchi.app.calls;

import java.util.List;

/**
 * The way a call went through the phone flow, kept in the call's vars under {@link #VAR} (apart
 * from the flow's own {@code path}, the questions {@code *} goes back over) as the
 * states it reached joined by {@code >} ("menu>book_notice>book_verify:failed>..."), and why it
 * ended with the operators.
 */
public final class CallPath {
    public static final String VAR = "way";
    /** Enough for any real call; the oldest steps give way. */
    static final int MAX_STEPS = 40;

    private CallPath() {
    }

    /** The path with one more step. */
    public static String plus(String path, String step) {
        String next = path == null || path.isEmpty() ? step : path + ">" + step;
        String[] steps = next.split(">");
        if (steps.length > MAX_STEPS) {
            next = String.join(">", java.util.Arrays.copyOfRange(steps, steps.length - MAX_STEPS, steps.length));
        }
        return next;
    }

    /**
     * Why the caller reached an operator: pressed_0, failures, locked, limited, unavailable,
     * no_slots, or other (e.g. a flow's own state), from the last state on the path.
     */
    public static String reason(List<String> steps, String outcome) {
        if ("locked".equals(outcome) || "limited".equals(outcome) || "unavailable".equals(outcome)) {
            return outcome;
        }
        String last = steps.isEmpty() ? "" : steps.get(steps.size() - 1);
        boolean noSlots = steps.size() > 1 && steps.get(steps.size() - 2).equals("no_slots");
        return switch (last) {
            case "operator" -> noSlots ? "no_slots" : "pressed_0";
            case "too_many_failures" -> "failures";
            case "locked" -> "locked";
            case "changes_limited" -> "limited";
            case "unavailable" -> "unavailable";
            default -> "other";
        };
    }
}
