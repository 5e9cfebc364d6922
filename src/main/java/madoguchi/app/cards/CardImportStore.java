package madoguchi.app.cards;

import io.vertx.core.Future;

import java.util.List;
import java.util.Map;

public interface CardImportStore {

    /**
     * New cards, and known cards that changed (rows that change nothing are neither); what became of
     * the stored phone numbers; the cards written per state and per site.
     */
    record Counts(int imported, int updated, List<Stranded> stranded, Phones phones, Map<String, Integer> byState,
                  Map<String, Integer> bySite) {
        public Counts(int imported, int updated) {
            this(imported, updated, List.of(), new Phones(0, 0, 0), Map.of(), Map.of());
        }
    }

    /** Stored numbers the file left as they were, numbers it set (or changed), numbers it cleared. */
    record Phones(int kept, int set, int cleared) {
    }

    /** An active booking whose card the file made other than ready, or moved to another site. */
    record Stranded(long cardId, String bookingSiteId, String code, String cardState) {
    }

    /**
     * One import written chunk by chunk as the file arrives, in one transaction: nothing of it is
     * kept unless {@link #commit} succeeds. Chunks are written one at a time, in order.
     */
    interface Batch {
        /** Inserts new cards and updates known ones (by notice number), recording every state change. */
        Future<Void> write(List<CardCsv.Row> chunk);

        /** Commits what was written and gives the counts; the batch is over either way. */
        default Future<Counts> commit() {
            return commit(counts -> null);
        }

        /**
         * As above, with the audit row {@code audit} makes of the counts (null: none) written in the
         * same transaction: an import is never kept unaudited.
         */
        Future<Counts> commit(java.util.function.Function<Counts, madoguchi.app.AuditEntry> audit);

        /** Drops what was written; never fails. */
        Future<Void> rollback();

        /** A dry run: the counts of what was written, then all of it dropped. */
        Future<Counts> dryRun();
    }

    /** Starts an import by {@code actor}; {@code progress} learns how many rows each chunk wrote, as it goes. */
    Future<Batch> begin(String actor, java.util.function.IntConsumer progress);

    /** A whole import of rows already in memory. */
    default Future<Counts> upsert(List<CardCsv.Row> rows, String actor) {
        return begin(actor, written -> { }).compose(batch -> batch.write(rows).compose(v -> batch.commit(),
                e -> batch.rollback().compose(v -> Future.failedFuture(e))));
    }
}
