package madoguchi.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes that many callers wait for, made together (group commit): one batch is written at a time;
 * what arrives meanwhile waits, and the next batch takes all of it (up to {@code maxBatch}) in one
 * statement and one commit. So a commit costs one round trip and one WAL flush for all the calls
 * that reached that moment, instead of one each, and callers never queue for pool connections.
 * Each caller's future completes, on the caller's own context, when its item is written — or
 * fails with its batch.
 *
 * @param <T> one item to write
 * @param <R> what its caller learns once it is written
 */
final class WriteBatches<T, R> {

    /** Writes a batch; answers one result per item, in the same order. */
    interface Writer<T, R> {
        Future<List<R>> write(List<T> batch);
    }

    private record Pending<T, R>(T item, Promise<R> promise, Context context) {
    }

    private final Writer<T, R> writer;
    private final int maxBatch;
    private final ArrayDeque<Pending<T, R>> waiting = new ArrayDeque<>();
    private boolean writing;

    WriteBatches(Writer<T, R> writer, int maxBatch) {
        this.writer = writer;
        this.maxBatch = maxBatch;
    }

    /** Writes {@code item} with the next batch; completes when it is written. */
    Future<R> submit(T item) {
        Promise<R> promise = Promise.promise();
        boolean start;
        synchronized (this) {
            waiting.add(new Pending<>(item, promise, Vertx.currentContext()));
            start = !writing;
            writing = true;
        }
        if (start) {
            next();
        }
        return promise.future();
    }

    /** How many items wait for the next batch (for tests and metrics). */
    synchronized int waiting() {
        return waiting.size();
    }

    private void next() {
        List<Pending<T, R>> batch = new ArrayList<>();
        synchronized (this) {
            while (!waiting.isEmpty() && batch.size() < maxBatch) {
                batch.add(waiting.poll());
            }
            if (batch.isEmpty()) {
                writing = false;
                return;
            }
        }
        List<T> items = new ArrayList<>(batch.size());
        for (Pending<T, R> p : batch) {
            items.add(p.item());
        }
        Future<List<R>> written;
        try {
            written = writer.write(items);
        } catch (RuntimeException e) {
            written = Future.failedFuture(e);
        }
        written.onComplete(ar -> {
            for (int i = 0; i < batch.size(); i++) {
                Pending<T, R> p = batch.get(i);
                if (ar.failed()) {
                    complete(p, () -> p.promise().fail(ar.cause()));
                } else if (ar.result() == null || ar.result().size() != batch.size()) {
                    complete(p, () -> p.promise().fail(new IllegalStateException("a batch answered "
                            + (ar.result() == null ? "nothing" : ar.result().size() + " results") + " for " + batch.size() + " items")));
                } else {
                    R r = ar.result().get(i);
                    complete(p, () -> p.promise().complete(r));
                }
            }
            next();
        });
    }

    /** The caller goes on on its own event loop, not on the connection's. */
    private static void complete(Pending<?, ?> p, Runnable done) {
        if (p.context() == null) {
            done.run();
        } else {
            p.context().runOnContext(v -> done.run());
        }
    }
}
