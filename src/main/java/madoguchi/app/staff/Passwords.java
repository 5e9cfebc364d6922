package madoguchi.app.staff;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Staff passwords: PBKDF2-HMAC-SHA256 from the JDK, 16-byte random salt, 600,000 iterations
 * (OWASP 2023), stored as {@code pbkdf2-sha256$iterations$salt$hash}. Hashing takes a good
 * fraction of a second on purpose: never call it on an event loop.
 */
public final class Passwords {
    public static final int ITERATIONS = 600_000;
    public static final int MIN_LENGTH = 10;
    private static final SecureRandom RANDOM = new SecureRandom();
    // checked when the user is unknown, so that an unknown name costs as long as a wrong password
    // made when first needed (by a check, off the event loop): not when the class is first used,
    // which may be on an event loop (weakness(), fresh()) and would block it for half a second
    private static final class Dummy {
        static final String HASH = hash("dummy-password-for-timing", 600_000);
    }

    private Passwords() {
    }

    // no 0/O, 1/l/I: a password an administrator reads out or writes down for a colleague
    private static final String READABLE = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /** A fresh random password of 16 readable characters (about 93 bits), for a reset. */
    public static String fresh() {
        StringBuilder b = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            b.append(READABLE.charAt(RANDOM.nextInt(READABLE.length())));
        }
        return b.toString();
    }

    public static String hash(String password) {
        return hash(password, ITERATIONS);
    }

    static String hash(String password, int iterations) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] dk = derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "pbkdf2-sha256$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(dk);
    }

    /** True when the password matches the stored hash; a null or malformed hash never matches. */
    public static boolean matches(String password, String stored) {
        if (password == null) {
            return false;
        }
        String[] parts = (stored == null ? Dummy.HASH : stored).split("\\$");
        if (parts.length != 4 || !parts[0].equals("pbkdf2-sha256")) {
            matches(password, null);
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            boolean same = MessageDigest.isEqual(derive(password, salt, iterations), expected);
            return same && stored != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Why a new password is not acceptable, or null. */
    public static String weakness(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            return "A password needs at least " + MIN_LENGTH + " characters.";
        }
        if (password.length() > 200) {
            return "A password may have at most 200 characters.";
        }
        return null;
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } finally {
            spec.clearPassword();
        }
    }
}
