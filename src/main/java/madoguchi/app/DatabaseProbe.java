package madoguchi.app;

import io.vertx.core.Future;

/** Whether the database answers (for /ready), and whether a failure means it does not. */
public interface DatabaseProbe {

    Future<Void> ping();

    /** True when {@code failure} says the database could not be reached (then the answer is "retry shortly"). */
    boolean unreachable(Throwable failure);

    /**
     * True when the database cut a statement off at its time limit: it answers, but the work was
     * too large (or waited too long on a lock). Told apart so staff are not sent looking for an outage.
     */
    default boolean tooSlow(Throwable failure) {
        return false;
    }

    /**
     * True when the database refused the data it was given (a NUL byte in text, a value out of
     * range, a broken constraint): the request's fault, not the database's; the same write fails again.
     */
    default boolean refusesData(Throwable failure) {
        return false;
    }
}
