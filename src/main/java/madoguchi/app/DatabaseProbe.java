package madoguchi.app;

import io.vertx.core.Future;

/** Whether the database answers (for /ready). */
public interface DatabaseProbe {

    Future<Void> ping();
}
