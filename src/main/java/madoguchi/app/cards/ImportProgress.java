package madoguchi.app.cards;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far the card imports running on this instance have got, and how the last one ended. A
 * status file of a million rows takes minutes to arrive and be written; the administrator who
 * sent it (and any other) can read these figures meanwhile. Kept in memory, per instance: the
 * imports themselves are per instance (each holds its own connection and transaction), and the
 * figure is worth nothing after a restart, when the import it describes is gone too.
 * <p>
 * Each import is updated from its request's event loop and read from any other, hence the atomics.
 */
public final class ImportProgress {
    /** How an import ended. */
    public enum Outcome { COMMITTED, DRY_RUN, REFUSED, FAILED, ABANDONED }

    private final Clock clock;
    private final Set<Running> running = ConcurrentHashMap.newKeySet();
    private volatile Finished last;

    public ImportProgress(Clock clock) {
        this.clock = clock;
    }

    /** An import by {@code actor} has its permit; {@code bytesTotal} is its declared length, or -1 when unknown. */
    public Running start(String actor, boolean dryRun, long bytesTotal) {
        Running r = new Running(actor, dryRun, bytesTotal, clock.instant());
        running.add(r);
        return r;
    }

    /** The imports running now, the oldest first. */
    public List<Figure> running() {
        List<Figure> out = new ArrayList<>();
        running.forEach(r -> out.add(r.figure()));
        out.sort(Comparator.comparing(Figure::startedAt));
        return out;
    }

    /** The last import that ended on this instance since it started, if any. */
    public Optional<Finished> last() {
        return Optional.ofNullable(last);
    }

    /**
     * Where an import stands. {@code rowsRead} counts the lines after the header as they arrive;
     * {@code rowsWritten} the good rows sent into the import's transaction, changed or not (a dry
     * run's too, and an import's that is then rolled back), {@code rowsRejected} the bad lines found
     * so far (both checked 5,000 lines at a time, so they trail {@code rowsRead}): the same
     * numbers /metrics adds to {@code madoguchi_card_import_rows_total}. {@code bytesTotal} and
     * {@code percent} (of the bytes read, rounded down) are null when the length was not declared.
     */
    public record Figure(String actor, boolean dryRun, Instant startedAt, long rowsRead, long rowsWritten, long rowsRejected,
                         long bytesRead, Long bytesTotal, Integer percent) {
    }

    /** An import that ended: its last figure, and its counts when it got as far as a commit or a dry run's end. */
    public record Finished(Figure figure, Instant finishedAt, long millis, Outcome outcome, String error, Counts counts) {
    }

    /** New, changed and unchanged cards, as the import's answer gave them. */
    public record Counts(int imported, int updated, int unchanged) {
    }

    /** One running import; ends once, whichever way it ends first. */
    public final class Running {
        private final String actor;
        private final boolean dryRun;
        private final long bytesTotal;
        private final Instant startedAt;
        private final long startedNanos = System.nanoTime();
        private final AtomicLong rowsRead = new AtomicLong();
        private final AtomicLong rowsWritten = new AtomicLong();
        private final AtomicLong rowsRejected = new AtomicLong();
        private final AtomicLong bytesRead = new AtomicLong();
        private final AtomicBoolean ended = new AtomicBoolean();

        private Running(String actor, boolean dryRun, long bytesTotal, Instant startedAt) {
            this.actor = actor;
            this.dryRun = dryRun;
            this.bytesTotal = bytesTotal;
            this.startedAt = startedAt;
        }

        public void bytesRead(long n) {
            bytesRead.addAndGet(n);
        }

        public void rowRead() {
            rowsRead.incrementAndGet();
        }

        public void written(long n) {
            rowsWritten.addAndGet(n);
        }

        public void rejected(long n) {
            rowsRejected.addAndGet(n);
        }

        /** Ends the import: it leaves the running ones and becomes the last. Later calls do nothing. */
        public void end(Outcome outcome, String error, Counts counts) {
            if (ended.compareAndSet(false, true)) {
                last = new Finished(figure(), clock.instant(), (System.nanoTime() - startedNanos) / 1_000_000, outcome, error, counts);
                running.remove(this);
            }
        }

        Figure figure() {
            long read = bytesRead.get();
            Long total = bytesTotal < 0 ? null : bytesTotal;
            Integer percent = total == null ? null : total == 0 ? 100 : (int) Math.min(100, read * 100 / total);
            return new Figure(actor, dryRun, startedAt, rowsRead.get(), rowsWritten.get(), rowsRejected.get(), read, total, percent);
        }
    }
}
