package madoguchi.domain;

/**
 * Expected reasons a request is not carried out. Each has a stable machine-readable code
 * (the {@code error} field of the HTTP contract and the branch the phone flow takes); what a
 * person is told of it is in app/Words, in Japanese and English.
 */
public enum Refusal implements Verdict {
    SLOT_FULL("slot_full"),
    SLOT_BLOCKED("slot_blocked"),
    SLOT_NOT_BOOKABLE("slot_not_bookable"),
    WRONG_SITE("wrong_site"),
    ALREADY_BOOKED("already_booked"),
    CARD_NOT_READY("card_not_ready"),
    HOLD_EXPIRED("hold_expired"),
    NOT_FOUND("not_found"),
    BUSY("busy"),
    UNAVAILABLE("unavailable"),
    /**
     * The database refused this request's own data (a character it cannot store, a value out of
     * range): the request's fault, so retrying it will not help; the others of its batch went on.
     */
    UNRECORDABLE("unrecordable"),
    /** The card changed its booking too many times today (app/booking/BookingChanges); cancelling stays possible. */
    TOO_MANY_CHANGES("too_many_changes");

    private final String code;

    Refusal(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
