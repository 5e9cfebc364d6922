package madoguchi.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * The steps of handing a card over at the counter, in the order the city's procedure takes them:
 * the resident arrives (or is called from the walk-in queue), staff check who they are, the
 * resident sets the card's PINs (or postpones it), the old notification card or an expired card
 * is returned, and the card is handed over.
 */
public enum CounterStep {
    ARRIVED, IDENTITY_CHECKED, PINS, RETURNED, ISSUED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CounterStep> fromWire(String text) {
        for (CounterStep s : values()) {
            if (s.wire().equals(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * Why this step cannot follow {@code done} (the last step taken, null before arriving):
     * {@code step_done} when it was taken already, {@code step_out_of_order} when the step before
     * it is missing; null when it may be taken now.
     */
    public String refusalAfter(CounterStep done) {
        int last = done == null ? -1 : done.ordinal();
        if (last >= ordinal()) {
            return "step_done";
        }
        return last == ordinal() - 1 ? null : "step_out_of_order";
    }

    /** The step that must be done before this one; none before arriving. */
    public Optional<CounterStep> before() {
        return ordinal() == 0 ? Optional.empty() : Optional.of(values()[ordinal() - 1]);
    }
}
