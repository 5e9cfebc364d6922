package madoguchi.app.booking;

import madoguchi.domain.Decision;

import java.util.function.Function;

/**
 * A request's Idempotency-Key: who sent it ({@code scope}), the key, a digest of the request (a
 * key reused for a different request is refused), and how to render the answer to keep.
 */
public record Idempotency(String scope, String key, String requestHash, Function<Decision, StoredAnswer> answer) {
}
