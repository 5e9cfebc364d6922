package madoguchi.app.booking;

/**
 * The first answer to a request that carried an Idempotency-Key, kept to be given again on a
 * retry; or the refusal of a key used for a different request, which replays nothing
 * ({@code replayed} false, so the channel does not say it was replayed).
 */
public record StoredAnswer(int status, String body, boolean replayed) {
    private static final StoredAnswer KEY_REUSED = new StoredAnswer(422, "{\"error\":\"idempotency_key_reused\",\"message\":"
            + "\"This Idempotency-Key was used for a different request.\"}", false);

    /** The stored first answer, given again. */
    public StoredAnswer(int status, String body) {
        this(status, body, true);
    }

    /** The key was first used for a request with another body or path. */
    public static StoredAnswer keyReused() {
        return KEY_REUSED;
    }
}
