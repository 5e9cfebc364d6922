package madoguchi.app.booking;

import io.vertx.core.Future;

import java.util.Optional;

/**
 * The one store of Idempotency-Keys, read side: the first decision kept under a key. The write
 * side is the seat journal, which keeps it in the same commit as the seat change.
 */
public interface KeptDecisions {

    /**
     * What a request gets when its Idempotency-Key already has a first decision kept (decided by
     * {@link Idempotency#replayOf}); empty when the key is new.
     */
    Future<Optional<Replay>> replayOf(Idempotency key);
}
