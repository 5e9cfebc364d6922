package madoguchi.app.booking;

/**
 * What a request whose Idempotency-Key was seen before gets: the first decision, to be rendered
 * again by the channel that asks, or — {@code decision} null — the refusal of a key used for a
 * different request, which replays nothing. Decided only by {@link Idempotency#replayOf}.
 */
public record Replay(KeptDecision decision) {
    private static final Replay KEY_REUSED = new Replay(null);

    static Replay of(KeptDecision decision) {
        return new Replay(java.util.Objects.requireNonNull(decision));
    }

    static Replay keyReused() {
        return KEY_REUSED;
    }

    /** True when the key was first used for another request. */
    public boolean keyWasReused() {
        return decision == null;
    }
}
