package madoguchi.domain;

import java.time.Instant;
import java.util.UUID;

/** A seat kept for a card while the resident (or caller) decides. */
public record Hold(UUID id, long cardId, long slotId, Channel channel, Instant expiresAt) {

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
