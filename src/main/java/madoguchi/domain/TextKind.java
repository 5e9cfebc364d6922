package madoguchi.domain;

import java.util.Locale;

/**
 * What a text message to a resident is about, which decides whether it may go at night
 * ({@link QuietHours#sendAt}): what the resident just asked for goes at once, what the city sends
 * of its own accord waits for the morning.
 */
public enum TextKind {
    /** A booking made, moved or cancelled by the resident, confirmed as they asked (web, phone). */
    CONFIRMATION(true),
    /** A walk-in ticket's "your turn is near" / "come to counter n", to a resident waiting at the site. */
    COUNTER_CALL(true),
    /** The reminder of tomorrow's booking. */
    REMINDER(false),
    /** A seat offered from the waitlist. */
    WAITLIST_OFFER(false),
    /** A booking the city had to cancel (a capacity cut, a closure). */
    CITY_CANCELLED(false);

    private final boolean askedFor;

    TextKind(boolean askedFor) {
        this.askedFor = askedFor;
    }

    /** Whether the resident is waiting for it right now (they just booked, or stand at the counter). */
    public boolean askedFor() {
        return askedFor;
    }

    /** The name kept with the message (sms_outbox.kind). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind of a kept name; a name this version does not know is treated as a confirmation. */
    public static TextKind of(String id) {
        for (TextKind k : values()) {
            if (k.id().equals(id)) {
                return k;
            }
        }
        return CONFIRMATION;
    }
}
