package madoguchi.app.reminders;

import io.vertx.core.Future;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reminder jobs, numbers opted out of reminders, and what the provider said about each message. */
public interface ReminderStore {

    /** An active booking in the window with no reminder yet, whose card has a number not opted out. */
    record Due(long bookingId, String code, String phone, String siteNameJa, String siteNameEn, Instant start) {
        @Override
        public String toString() {
            return "Due[bookingId=" + bookingId + "]";
        }
    }

    /** A message given up on (every attempt failed) or that the provider could not deliver. */
    record Failed(long id, String bookingCode, String phone, Instant createdAt, int attempts, String lastError,
                  String deliveryStatus, String deliveryError) {
    }

    Future<List<Due>> due(Instant from, Instant to, int limit);

    /**
     * In one statement: records the reminder of {@code bookingId} and puts the message in the outbox,
     * unless the booking already has its reminder or the number opted out meanwhile. The message's
     * first retry is at {@code retryAt}. Empty when nothing was queued.
     */
    Future<Optional<Long>> queue(long bookingId, String code, String phone, String body, Instant now, Instant retryAt);

    /** Records that the booking gets no reminder (its number cannot take text messages). */
    Future<Void> skip(long bookingId, Instant now);

    Future<Void> optOut(String phone, Instant at);

    Future<Void> optIn(String phone);

    Future<Boolean> optedOut(String phone);

    /** Records a final delivery status for the message the provider knows as {@code providerId}; false when unknown. */
    Future<Boolean> delivery(String providerId, String status, String error, Instant at);

    Future<List<Failed>> failed(int maxAttempts, int limit);
}
