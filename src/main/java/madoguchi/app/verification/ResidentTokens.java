package madoguchi.app.verification;

import madoguchi.app.booking.CardRef;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Short-lived tokens a resident gets after proving notice number and birth date. They are
 * signed (HMAC-SHA256) rather than stored, so every instance sharing the signing key accepts
 * them without a database read; they name the card and the site where it is kept.
 */
public final class ResidentTokens {
    private static final String PREFIX = "r1";
    private final byte[] key;
    private final Clock clock;
    private final Duration lifetime;
    // Mac.getInstance is slow and a Mac is not thread-safe: one per thread, keyed once
    private final ThreadLocal<Mac> macs;

    public ResidentTokens(byte[] key, Clock clock, Duration lifetime) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the signing key must have at least 256 bits");
        }
        this.key = key.clone();
        this.clock = clock;
        this.lifetime = lifetime;
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(this.key, "HmacSHA256"));
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        });
    }

    public record Issued(String token, Instant expiresAt) {
    }

    public Issued issue(CardRef card) {
        Instant expires = clock.instant().plus(lifetime);
        String payload = PREFIX + "." + card.cardId() + "." + card.siteId() + "." + expires.getEpochSecond();
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return new Issued(encoded + "." + sign(encoded), expires);
    }

    /** The card a valid, unexpired token names; empty for anything else. */
    public Optional<CardRef> verify(String token) {
        if (token == null || token.length() > 512) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot == token.length() - 1) {
            return Optional.empty();
        }
        String encoded = token.substring(0, dot);
        byte[] expected = sign(encoded).getBytes(StandardCharsets.US_ASCII);
        byte[] given = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given)) {
            return Optional.empty();
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8).split("\\.");
            if (parts.length != 4 || !PREFIX.equals(parts[0])) {
                return Optional.empty();
            }
            if (clock.instant().getEpochSecond() >= Long.parseLong(parts[3])) {
                return Optional.empty();
            }
            return Optional.of(new CardRef(Long.parseLong(parts[1]), parts[2]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private String sign(String encoded) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(macs.get().doFinal(encoded.getBytes(StandardCharsets.US_ASCII)));
    }
}
