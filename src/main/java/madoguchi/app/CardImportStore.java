package madoguchi.app;

import io.vertx.core.Future;

import java.util.List;

public interface CardImportStore {

    /** New cards, and known cards that changed (rows that change nothing are neither). */
    record Counts(int imported, int updated, List<Stranded> stranded) {
        public Counts(int imported, int updated) {
            this(imported, updated, List.of());
        }
    }

    /** An active booking whose card the file made other than ready, or moved to another site. */
    record Stranded(long cardId, String bookingSiteId, String code, String cardState) {
    }

    /** Inserts new cards and updates known ones (by notice number), recording every state change. */
    default Future<Counts> upsert(List<CardCsv.Row> rows, String actor) {
        return upsert(rows, actor, written -> { });
    }

    /** As {@link #upsert(List, String)}, telling {@code progress} how many rows each chunk wrote, as it goes. */
    Future<Counts> upsert(List<CardCsv.Row> rows, String actor, java.util.function.IntConsumer progress);
}
