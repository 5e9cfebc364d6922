package madoguchi.app.booking;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** Work run on a shard's thread, after the tasks already queued there, with its result (or its failure) as a Future. */
final class OnShard {
    private OnShard() {
    }

    static <T> Future<T> call(Executor loop, Supplier<T> work) {
        Promise<T> promise = Promise.promise();
        loop.execute(() -> {
            try {
                promise.complete(work.get());
            } catch (RuntimeException e) {
                promise.fail(e);
            }
        });
        return promise.future();
    }
}
