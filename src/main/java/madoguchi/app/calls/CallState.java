package madoguchi.app.calls;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One phone call's state as it is kept between webhooks (by CallSid), so that another instance,
 * or this one after a restart, continues the call at the same step. Null fields are unset.
 */
public record CallState(String sid, String from, String language, int failures, int seq, String awaiting,
                        Map<String, String> vars, Long cardId, String siteId, UUID holdId, long offeredSlot,
                        Instant slotStart, String code, Instant lockedUntil, String told, String outcome,
                        boolean enqueued, Instant startedAt) {

    @Override
    public String toString() {
        // the caller's number and what they typed stay out of logs
        return "CallState[seq=" + seq + ", awaiting=" + awaiting + ", outcome=" + outcome + "]";
    }
}
