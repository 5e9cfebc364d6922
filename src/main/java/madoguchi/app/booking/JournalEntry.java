package madoguchi.app.booking;

import madoguchi.app.AuditEntry;
import madoguchi.domain.Decision;

/**
 * One decision to make durable, with its Idempotency-Key and what to keep under it (or nulls), and,
 * for a staff action, the audit row written in the same transaction (or null).
 */
public record JournalEntry(Decision decision, Idempotency idempotency, KeptDecision kept, AuditEntry audit) {

    public JournalEntry(Decision decision, Idempotency idempotency, KeptDecision kept) {
        this(decision, idempotency, kept, null);
    }
}
