package madoguchi.domain;

import java.util.Locale;
import java.util.Optional;

/** Where a booking comes from; each channel may fill a slot up to its own quota. */
public enum Channel {
    WEB, PHONE, OPERATOR;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Channel> fromWire(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (Channel c : values()) {
            if (c.wire().equals(text)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
