package madoguchi.app.counter;

import io.vertx.core.Future;
import madoguchi.app.AuditEntry;
import madoguchi.domain.CounterStep;
import madoguchi.domain.IdentityCheck;
import madoguchi.domain.PickUpNeeds;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Where the counter's day is kept: the visits with their steps, the day's bookings and tickets, the residents' needs. */
public interface CounterStore {

    /** A resident's visit on one day and the time of each step taken. */
    record Visit(String siteId, Integer counter, Instant arrivedAt, Instant identityAt, List<String> documents, boolean byProxy,
                 Instant pinsAt, String pins, String pinsReason, Instant returnedAt, List<String> returned, Instant issuedAt) {

        /** The last step taken. */
        public CounterStep last() {
            return issuedAt != null ? CounterStep.ISSUED : returnedAt != null ? CounterStep.RETURNED
                    : pinsAt != null ? CounterStep.PINS : identityAt != null ? CounterStep.IDENTITY_CHECKED : CounterStep.ARRIVED;
        }
    }

    /**
     * One line of a site's day: a booking (with its code) or a walk-in ticket (with its number),
     * the visit when the resident came, and what they need. Names are never part of it.
     */
    record DayLine(Instant start, Instant end, String noticeNumber, String code, Integer ticket, String channel, String status,
                   boolean override, String note, Visit visit, PickUpNeeds needs) {
    }

    /** What a step records: the counter, and the step's own details (documents, PINs, what was returned). */
    record StepInput(CounterStep step, Integer counter, IdentityCheck identity, String pins, String pinsReason, List<String> returned) {
    }

    /** A step taken: the visit after it, and the booking or ticket it belongs to. */
    record StepDone(String noticeNumber, long cardId, String siteId, String bookingCode, Integer ticket, CounterStep step, Visit visit)
            implements StepResult {
    }

    /** A step refused, with the error code of the contract. */
    record StepRefused(String code) implements StepResult {
    }

    sealed interface StepResult permits StepDone, StepRefused {
    }

    /**
     * A site's day at the counters: cards handed over, and counter-hours worked (each counter and
     * hour in which that counter took a step counts once).
     */
    record Throughput(LocalDate day, String siteId, int issued, int counterHours) {
    }

    Future<List<DayLine>> day(String siteId, LocalDate day, Instant from, Instant to);

    /** The counters' throughput per site and day, from {@code from} to {@code to} (both included). */
    Future<List<Throughput>> throughput(LocalDate from, LocalDate to);

    /**
     * Takes a step of the card's visit today, with its audit row, in one transaction. Arriving
     * starts the visit from the card's booking of that day, or from its walk-in ticket once called;
     * the hand-over also ends the booking or ticket and marks the card issued.
     */
    Future<StepResult> step(String noticeNumber, LocalDate day, Instant from, Instant to, StepInput input, String actor, Instant at,
                            Function<StepDone, AuditEntry> audit);

    /** The card's needs (none when nothing was told); empty when there is no such card. */
    Future<Optional<PickUpNeeds>> needs(String noticeNumber);

    /** Keeps the card's needs with their audit row (null for a resident's own change); false when there is no such card. */
    Future<Boolean> setNeeds(String noticeNumber, PickUpNeeds needs, String actor, Instant at, AuditEntry audit);
}
