package madoguchi.app.booking;

/**
 * A request's Idempotency-Key: who sent it ({@code scope}), the key, and a digest of the request.
 * What "the same request" means is said here once: the same scope and key, and the same digest. A
 * key sent again with another digest is a key reused for a different request, which is refused.
 */
public record Idempotency(String scope, String key, String requestHash) {

    /** Scope and key together: one first request per value. */
    public String id() {
        return scope + '\n' + key;
    }

    /** True when {@code other} names the same key (whatever the request). */
    public boolean sameKey(Idempotency other) {
        return other != null && scope.equals(other.scope) && key.equals(other.key);
    }

    /** True when {@code other} is this very request sent again: same key, same digest. */
    public boolean sameRequest(Idempotency other) {
        return sameKey(other) && isRequest(other.requestHash);
    }

    /** True when {@code keptHash}, the digest kept with the key's first request, is this request's. */
    public boolean isRequest(String keptHash) {
        return requestHash.equals(keptHash);
    }

    /**
     * What a request gets when its key already has a first decision kept: that decision again when
     * it is the same request ({@code keptHash} the digest kept with it), else the key-reused refusal.
     */
    public Replay replayOf(String keptHash, KeptDecision kept) {
        return isRequest(keptHash) ? Replay.of(kept) : Replay.keyReused();
    }
}
