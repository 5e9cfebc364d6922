package madoguchi.domain;

import java.util.Locale;
import java.util.Optional;

/** Card center, ward office, branch office, or a temporary (pop-up) site opened for a surge. */
public enum SiteKind {
    CENTER, WARD, BRANCH, POPUP;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SiteKind> fromWire(String text) {
        for (SiteKind k : values()) {
            if (k.wire().equals(text)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
