package madoguchi.app.capacity;

/**
 * An opening rule was written (with its audit row), but planning its days again failed part way:
 * some slots have the new seats, some the old. Sending the same change again finishes it (planning
 * is repeatable). Told apart from "not recorded", which means nothing was changed.
 */
public final class DaysNotPlanned extends RuntimeException {
    public DaysNotPlanned(Throwable cause) {
        super("the rule was saved, but its days were not all planned again", cause);
    }
}
