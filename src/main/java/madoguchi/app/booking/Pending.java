package madoguchi.app.booking;

import madoguchi.domain.Decision;
import madoguchi.domain.SeatChange;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A shard's decisions made in memory and not yet durable: those queued for the next batch, in the
 * order they were decided, and the batch being written. Shard thread only. A decision and the
 * request that asked for it always travel together.
 */
final class Pending {
    /** A request with its decision's entry in the journal. */
    record Item(SeatRequest request, JournalEntry entry) {
        Decision decision() {
            return entry.decision();
        }
    }

    private final ArrayDeque<Item> queued = new ArrayDeque<>();
    /** The batch being written, while it is (empty otherwise). */
    private List<Item> inFlight = List.of();
    private boolean writing;

    void add(SeatRequest request, JournalEntry entry) {
        queued.add(new Item(request, entry));
    }

    /** Decisions waiting for a batch. */
    int size() {
        return queued.size();
    }

    boolean isEmpty() {
        return queued.isEmpty();
    }

    boolean writing() {
        return writing;
    }

    /**
     * Takes the next batch, up to {@code limit} decisions of one group (the halves of a failed
     * batch are written apart), and marks it in flight.
     */
    List<Item> startBatch(int limit) {
        int group = queued.peek().request().group;
        List<Item> batch = new ArrayList<>();
        while (batch.size() < limit && !queued.isEmpty() && queued.peek().request().group == group) {
            batch.add(queued.poll());
        }
        writing = true;
        inFlight = batch;
        return batch;
    }

    /** The batch in flight has its answer; what it holds is now the caller's to settle. */
    void batchAnswered() {
        inFlight = List.of();
    }

    void batchSettled() {
        writing = false;
    }

    /** Puts a decision back at the head of the queue (call newest first to keep the order). */
    void putBackFirst(Item item) {
        queued.addFirst(item);
    }

    /** Takes every queued decision, oldest first. */
    List<Item> takeAll() {
        List<Item> all = new ArrayList<>(queued);
        queued.clear();
        return all;
    }

    /** Takes, oldest first, the queued decisions for these cards; the others keep their order. */
    List<Item> takeFor(Set<Long> cardIds) {
        List<Item> taken = new ArrayList<>();
        if (cardIds.isEmpty()) {
            return taken;
        }
        ArrayDeque<Item> kept = new ArrayDeque<>();
        for (Item item : queued) {
            (cardIds.contains(item.request().cardId()) ? taken : kept).add(item);
        }
        queued.clear();
        queued.addAll(kept);
        return taken;
    }

    /** True when a decision not yet answered (queued, or in the batch being written) cancels this booking. */
    boolean cancels(long bookingId) {
        return cancels(inFlight, bookingId) || cancels(queued, bookingId);
    }

    private static boolean cancels(Iterable<Item> items, long bookingId) {
        for (Item item : items) {
            if (item.decision() instanceof Decision.BookingCancelled c && c.booking().id() == bookingId) {
                return true;
            }
        }
        return false;
    }

    /** True when a decision not yet durable may change this slot (any, while a batch is in flight). */
    boolean mayChange(long slotId) {
        if (writing) {
            return true;
        }
        for (Item item : queued) {
            for (SeatChange c : item.decision().changes()) {
                if (c.slotId() == slotId) {
                    return true;
                }
            }
        }
        return false;
    }
}
