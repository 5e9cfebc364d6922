package madoguchi.app;

import io.vertx.core.Future;

/** Whether the database answers (for /ready), and whether a failure means it does not. */
public interface DatabaseProbe {

    Future<Void> ping();

    /** True when {@code failure} says the database could not be reached (then the answer is "retry shortly"). */
    boolean unreachable(Throwable failure);
}
