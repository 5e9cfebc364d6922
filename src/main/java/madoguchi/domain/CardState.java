package madoguchi.domain;

import java.util.Locale;
import java.util.Optional;

/** The card's place in the J-LIS process: ① applied, ② incomplete, ⑧ ready, ⑨ issued, ⑩ cancelled. */
public enum CardState {
    APPLIED, INCOMPLETE, READY, ISSUED, CANCELLED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CardState> fromWire(String text) {
        for (CardState s : values()) {
            if (s.wire().equals(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
