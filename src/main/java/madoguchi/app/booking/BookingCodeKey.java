package madoguchi.app.booking;

import madoguchi.domain.BookingCode;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The installation's booking codes: the Feistel network of {@link BookingCode} with AES-128 keyed
 * by a secret made once per installation as its round function (the construction of NIST's FF1,
 * with as many rounds), so the codes of sequential ids look random to anyone without the key
 * and reveal nothing of how many bookings exist. One AES block per round: about 20 ns each.
 */
public final class BookingCodeKey {
    static final int ROUNDS = 10;

    private BookingCodeKey() {
    }

    /** The codes of an installation whose secret is {@code key} (at least 16 bytes; the first 16 are used). */
    public static BookingCode codes(byte[] key) {
        if (key == null || key.length < 16) {
            throw new IllegalArgumentException("the booking code key needs at least 16 bytes");
        }
        SecretKeySpec aes = new SecretKeySpec(Arrays.copyOf(key, 16), "AES");
        // a Cipher is not thread-safe and codes are made on every allocator shard's thread
        ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(() -> cipher(aes));
        return new BookingCode((round, half) -> {
            byte[] block = new byte[16];
            block[0] = (byte) round;
            block[1] = (byte) (half >>> 8);
            block[2] = (byte) half;
            try {
                byte[] out = ciphers.get().doFinal(block);
                return ((out[0] & 0xFF) << 8) | (out[1] & 0xFF);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES failed on a single block", e);
            }
        }, ROUNDS);
    }

    private static Cipher cipher(SecretKeySpec key) {
        try {
            Cipher c = Cipher.getInstance("AES/ECB/NoPadding"); // one block, never a message: ECB is the raw block cipher
            c.init(Cipher.ENCRYPT_MODE, key);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no AES", e);
        }
    }
}
