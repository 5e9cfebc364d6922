package madoguchi.app.reminders;

import io.vertx.core.Future;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reminder call jobs: one per booking, ever, claimed by one instance at a time. */
public interface ReminderCallStore {

    /** A call to place now (the job was just claimed: its attempt is counted). */
    record Claimed(long bookingId, String phone, String token, int attempt) {
        @Override
        public String toString() {
            return "Claimed[bookingId=" + bookingId + ", attempt=" + attempt + "]";
        }
    }

    /** The job and the booking it is about, as the call's webhooks need them. */
    record Job(long bookingId, String token, String state, String code, String bookingStatus, long cardId,
               String siteId, String siteNameJa, String siteNameEn, Instant start) {
        @Override
        public String toString() {
            return "Job[bookingId=" + bookingId + ", state=" + state + "]";
        }
    }

    /** A job given up on after every attempt, for the operators. */
    record Failed(long bookingId, String bookingCode, String bookingStatus, String siteId, Instant start, String phone,
                  int attempts, String lastStatus, String lastError, Instant failedAt) {
    }

    /** Records the job unless the booking has one already; the call is due at {@code now}. */
    Future<Void> add(long bookingId, String phone, String token, Instant now);

    /**
     * Closes the jobs that are due but no longer needed (booking ended, slot started), gives up on
     * calls whose attempts are used up without a report, and claims up to {@code limit} due jobs:
     * each claimed one is {@code calling} until {@code leaseUntil}.
     */
    Future<List<Claimed>> claimDue(Instant now, Instant leaseUntil, int maxAttempts, int limit);

    /** Keeps Twilio's id of the call placed for the claimed job. */
    Future<Void> placed(long bookingId, String callSid, Instant now);

    /**
     * An attempt that did not reach the resident (not placed, no answer, busy, failed): the job
     * waits {@code retryStep} times the attempts made, or is given up on when they are used up.
     * Empty when the job was not calling (or the report is about an older attempt); else the new state.
     */
    Future<Optional<String>> unanswered(long bookingId, String callSid, String status, String error, int maxAttempts,
                                        java.time.Duration retryStep, Instant now);

    /** Keeps what Twilio last said about the job's call (when it is about the latest attempt). */
    Future<Void> status(long bookingId, String callSid, String status, Instant now);

    /** Moves the job from waiting / calling to {@code to} (answered, kept, cancelled); false when it was not there. */
    Future<Boolean> advance(long bookingId, List<String> from, String to, String callSid, Instant now);

    Future<Optional<Job>> job(long bookingId);

    Future<List<Failed>> failed(int limit);
}
