package madoguchi.app;

import io.vertx.core.Future;

import java.util.List;

public interface CardImportStore {

    record Counts(int imported, int updated) {
    }

    /** Inserts new cards and updates known ones (by notice number), recording every state change. */
    Future<Counts> upsert(List<CardCsv.Row> rows, String actor);
}
