package madoguchi.domain;

/**
 * Expected reasons a request is not carried out. Each has a stable machine-readable code
 * (the {@code error} field of the HTTP contract and the branch the phone flow takes).
 */
public enum Refusal implements Verdict {
    SLOT_FULL("slot_full", "This time slot has no seats left."),
    SLOT_BLOCKED("slot_blocked", "This time slot is not open for booking."),
    SLOT_NOT_BOOKABLE("slot_not_bookable", "This time slot cannot be booked (too soon, in the past or beyond the booking horizon)."),
    WRONG_SITE("wrong_site", "The card is kept at another site; book a slot there."),
    ALREADY_BOOKED("already_booked", "This card already has a booking; cancel or reschedule it instead."),
    CARD_NOT_READY("card_not_ready", "This card is not ready to be picked up."),
    HOLD_EXPIRED("hold_expired", "The seat was held for too long and has been released."),
    NOT_FOUND("not_found", "No such booking, hold or slot."),
    BUSY("busy", "The service is busy; please retry shortly."),
    UNAVAILABLE("unavailable", "The service cannot reach its database; please retry shortly.");

    private final String code;
    private final String message;

    Refusal(String code, String message) {
        this.code = code;
        this.message = message;
    }

    public String code() {
        return code;
    }

    public String message() {
        return message;
    }
}
