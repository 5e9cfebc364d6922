package madoguchi.app.booking;

import madoguchi.app.AuditEntry;
import madoguchi.domain.Decision;

/**
 * One decision to make durable, with the answer to keep for its Idempotency-Key (or null) and,
 * for a staff action, the audit row written in the same transaction (or null).
 */
public record JournalEntry(Decision decision, Idempotency idempotency, StoredAnswer answer, AuditEntry audit) {

    public JournalEntry(Decision decision, Idempotency idempotency, StoredAnswer answer) {
        this(decision, idempotency, answer, null);
    }
}
