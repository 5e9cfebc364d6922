package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import madoguchi.app.booking.JournalEntry;
import madoguchi.app.booking.JournalOutcome;
import madoguchi.app.booking.SeatJournal;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes a shard's batch in one transaction: a handful of multi-row statements (unnest), sent
 * together on one connection, then COMMIT. Every statement is conditional — a hold still active,
 * a booking still active, a card still ready, seats still free within the database's own quotas —
 * so PostgreSQL stays the arbiter when several instances share it. If any condition fails the
 * transaction is rolled back and the outcome says which entries to refuse or decide again.
 *
 * <p>The statements are in {@link JournalSql}, the batch's column arrays in {@link BatchColumns},
 * and the reading of a refusal in {@link RefusalDiagnosis}; this class runs the transactions.
 */
public final class PgSeatJournal implements SeatJournal {
    private final Pool pool;
    private final RefusalDiagnosis diagnosis;

    public PgSeatJournal(Pool pool) {
        this.pool = pool;
        this.diagnosis = new RefusalDiagnosis(pool);
    }

    @Override
    public Future<JournalOutcome> write(List<JournalEntry> batch) {
        return attempt(batch, 0);
    }

    private Future<JournalOutcome> attempt(List<JournalEntry> batch, int retries) {
        return pool.withConnection(conn -> runAtOnce(new BatchColumns(batch), conn))
                .recover(failure -> {
                    if (isConditionFailed(failure)) {
                        return carefully(batch, retries);
                    }
                    if (retries < 3 && isRetryable(failure)) {
                        return attempt(batch, retries + 1); // deadlock with another instance: try again
                    }
                    return Future.failedFuture(failure);
                });
    }

    /** Step by step in a transaction, to learn which entries the database refuses and why. */
    private Future<JournalOutcome> carefully(List<JournalEntry> batch, int retries) {
        BatchColumns columns = new BatchColumns(batch);
        return pool.withTransaction(conn -> runStepByStep(columns, conn))
                .recover(failure -> {
                    if (failure instanceof Refused) {
                        return diagnosis.explain(batch, columns, ((Refused) failure).results);
                    }
                    if (retries < 3 && isRetryable(failure)) {
                        return carefully(batch, retries + 1);
                    }
                    return Future.failedFuture(failure);
                });
    }

    private static boolean isConditionFailed(Throwable e) {
        return e instanceof PgException && JournalSql.CONDITION_FAILED.equals(((PgException) e).getSqlState());
    }

    /** A deadlock or serialization failure: the transaction was rolled back and may simply run again. */
    static boolean isRetryable(Throwable failure) {
        return failure instanceof PgException
                && ("40P01".equals(((PgException) failure).getSqlState()) || "40001".equals(((PgException) failure).getSqlState()));
    }

    /**
     * The fast path: BEGIN, every statement and COMMIT sent at once, one round trip and one
     * WAL flush. A statement that changed fewer rows than it should raises an error inside
     * the transaction, so COMMIT rolls back; the caller then finds out why on the slow path.
     */
    private static Future<JournalOutcome> runAtOnce(BatchColumns columns, SqlConnection conn) {
        BatchResults results = new BatchResults();
        List<BatchColumns.Step> steps = new ArrayList<>(columns.rowChanges(results));
        BatchColumns.Step seats = columns.seatChange(results);
        if (seats != null) {
            steps.add(seats);
        }
        List<Future<?>> sent = new ArrayList<>();
        sent.add(conn.query("BEGIN").execute());
        for (BatchColumns.Step step : steps) {
            if (step.checked() == null) {
                sent.add(conn.preparedQuery(step.sql()).execute(step.args()));
            } else {
                sent.add(conn.preparedQuery(step.checked()).execute(step.args().addInteger(step.expected()))
                        .onSuccess(rows -> rows.forEach(r -> {
                            if (r.getValue(0) != null) {
                                step.onRow().accept(r);
                            }
                        })));
            }
        }
        Future<?> commit = conn.query("COMMIT").execute();
        return Future.join(sent).transform(done -> commit.transform(committed -> {
            if (done.succeeded() && committed.succeeded()) {
                return Future.succeededFuture(JournalOutcome.committed(results.snapshots));
            }
            Throwable cause = done.failed() ? firstFailure(sent) : committed.cause();
            return Future.failedFuture(cause);
        }));
    }

    private static Throwable firstFailure(List<Future<?>> sent) {
        for (Future<?> f : sent) {
            if (f.failed() && !(f.cause() instanceof PgException && "25P02".equals(((PgException) f.cause()).getSqlState()))) {
                return f.cause();
            }
        }
        return sent.stream().filter(Future::failed).findFirst().map(Future::cause).orElse(null);
    }

    /** The slow path: row changes first, then the seats; the caller commits or, on {@link Refused}, rolls back. */
    private static Future<JournalOutcome> runStepByStep(BatchColumns columns, SqlConnection conn) {
        BatchResults results = new BatchResults();
        BatchColumns.Step seats = columns.seatChange(results);
        List<Future<?>> sent = new ArrayList<>();
        for (BatchColumns.Step step : columns.rowChanges(results)) {
            sent.add(conn.preparedQuery(step.sql()).execute(step.args()).onSuccess(rows -> rows.forEach(step.onRow())));
        }
        // Seats move only once every row change they stand for has happened: a cancel of a
        // booking already ended elsewhere must not give its seat back a second time.
        return Future.all(sent)
                .compose(v -> !columns.rowsChanged(results) ? Future.failedFuture(new Refused(results))
                        : seats == null ? Future.succeededFuture()
                        : conn.preparedQuery(seats.sql()).execute(seats.args()).map(rows -> {
                            results.slotsTried = true;
                            rows.forEach(seats.onRow());
                            return null;
                        }))
                .compose(v -> columns.seatsChanged(results)
                        ? Future.succeededFuture(JournalOutcome.committed(results.snapshots))
                        : Future.failedFuture(new Refused(results)));
    }

    /** Thrown inside the transaction to roll it back when a condition failed. */
    private static final class Refused extends RuntimeException {
        final BatchResults results;

        Refused(BatchResults results) {
            super(null, null, false, false);
            this.results = results;
        }
    }
}
