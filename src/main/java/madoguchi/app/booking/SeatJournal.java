package madoguchi.app.booking;

import io.vertx.core.Future;

import java.util.List;

/** Makes a shard's decisions durable: one transaction per batch, all or nothing. */
public interface SeatJournal {

    /**
     * Commits the batch, or commits nothing and says which entries the database refused. A failed
     * future means the database could not be reached or failed unexpectedly; nothing committed.
     */
    Future<JournalOutcome> write(List<JournalEntry> batch);
}
