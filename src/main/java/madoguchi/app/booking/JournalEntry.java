package madoguchi.app.booking;

import madoguchi.domain.Decision;

/** One decision to make durable, with the answer to keep for its Idempotency-Key (or null). */
public record JournalEntry(Decision decision, Idempotency idempotency, StoredAnswer answer) {
}
