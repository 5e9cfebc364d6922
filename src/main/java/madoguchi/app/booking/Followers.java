package madoguchi.app.booking;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Follower coalescing: a request repeating one whose decision is being committed (a double
 * click, a client's retry with the same Idempotency-Key and body) is not decided again; it waits
 * and gets the first one's answer. Used on the shard's thread only.
 */
final class Followers {
    /** Accepted requests with an Idempotency-Key, until their batch is settled. */
    private final Map<String, SeatRequest> leaders = new HashMap<>();
    /** Requests repeating one of those. */
    private final Map<String, List<SeatRequest>> waiting = new HashMap<>();

    /** True when the request repeats one in flight and now waits for its answer. */
    boolean follows(SeatRequest request) {
        String key = keyOf(request);
        SeatRequest first = key == null ? null : leaders.get(key);
        if (first == null || first == request || !first.idempotency.sameRequest(request.idempotency)) {
            return false;
        }
        waiting.computeIfAbsent(key, k -> new ArrayList<>()).add(request);
        return true;
    }

    /** The request was accepted: repeats of it follow it until it is answered. */
    void leads(SeatRequest request) {
        String key = keyOf(request);
        if (key != null) {
            leaders.put(key, request);
        }
    }

    /** The request was answered: the requests that followed it, to be given the same answer. */
    List<SeatRequest> answered(SeatRequest request) {
        String key = keyOf(request);
        if (key == null || leaders.get(key) != request) {
            return List.of();
        }
        leaders.remove(key);
        List<SeatRequest> followers = waiting.remove(key);
        return followers == null ? List.of() : followers;
    }

    private static String keyOf(SeatRequest request) {
        return request.idempotency == null ? null : request.idempotency.id();
    }
}
