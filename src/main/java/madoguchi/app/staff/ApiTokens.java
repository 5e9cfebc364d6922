package madoguchi.app.staff;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Operator and administrator API tokens: 256 random bits, shown once, stored only as a SHA-256
 * digest (a slow hash is for guessable passwords; these cannot be guessed).
 */
public final class ApiTokens {
    public static final String PREFIX = "mdg_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiTokens() {
    }

    public static String fresh() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
