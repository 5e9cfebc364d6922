package madoguchi.app.booking;

import madoguchi.domain.ActiveBooking;
import madoguchi.domain.Decision;
import madoguchi.domain.SeatChange;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The pure step after a write: given a batch and the journal's answer, what each request gets.
 * No memory is touched here; the shard then undoes, corrects and answers as each fate says.
 */
final class Reconcile {

    /** What becomes of one entry of a written batch. */
    sealed interface Fate {
        /** Durable: the caller is told. */
        record Done(Decision decision) implements Fate {
        }

        /** The database refused it (or the key was used before: {@code rejection.replay()}). */
        record Refused(Rejection rejection) implements Fate {
        }

        /**
         * Decided again: its slot had fewer seats than memory believed, its booking changed
         * elsewhere ({@code current}, as the database holds it), or the hold it replaced had ended.
         */
        record Again(ActiveBooking current, boolean replacedHoldEnded) implements Fate {
        }

        /** Blameless in a batch that did not commit: written again in the next batch. */
        record Keep() implements Fate {
        }
    }

    private Reconcile() {
    }

    static List<Fate> of(List<JournalEntry> batch, JournalOutcome outcome) {
        List<Fate> fates = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Decision d = batch.get(i).decision();
            if (outcome.committed()) {
                fates.add(new Fate.Done(d));
            } else if (outcome.rejected().containsKey(i)) {
                fates.add(new Fate.Refused(outcome.rejected().get(i)));
            } else if (outcome.retry().contains(i) || touchesAny(d, outcome.fullSlots())) {
                fates.add(new Fate.Again(outcome.current().get(i),
                        !outcome.current().containsKey(i) && outcome.retry().contains(i) && d instanceof Decision.HoldTaken));
            } else {
                fates.add(new Fate.Keep());
            }
        }
        return fates;
    }

    private static boolean touchesAny(Decision d, Set<Long> slots) {
        if (slots.isEmpty()) {
            return false;
        }
        for (SeatChange c : d.changes()) {
            if (slots.contains(c.slotId())) {
                return true;
            }
        }
        return false;
    }
}
