package madoguchi.app.booking;

import madoguchi.domain.BookingCode;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BookingCodeKeyTest {
    private static byte[] key(int seed) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (seed * 31 + i * 7);
        }
        return key;
    }

    @Test
    void keyedCodesAreTenDigitsWithACheckDigitAndUnique() {
        BookingCode codes = BookingCodeKey.codes(key(1));
        Set<String> seen = new HashSet<>();
        for (long id = 1000; id < 301_000; id++) {
            String code = codes.of(id);
            assertEquals(code, BookingCode.normalize(code), "ten digits whose check digit holds: " + code);
            assertTrue(seen.add(code), "duplicate code for id " + id);
        }
        assertEquals(10, codes.of(999_999_999).length());
        assertEquals(10, codes.of(0).length());
    }

    @Test
    void theSameSecretGivesTheSameCodesAndAnotherSecretOthers() {
        BookingCode one = BookingCodeKey.codes(key(1));
        BookingCode again = BookingCodeKey.codes(key(1));
        BookingCode other = BookingCodeKey.codes(key(2));
        int differ = 0;
        for (long id = 1000; id < 1100; id++) {
            assertEquals(one.of(id), again.of(id), "every instance of an installation makes the same code");
            if (!one.of(id).equals(other.of(id))) {
                differ++;
            }
            assertNotEquals(BookingCode.legacy().of(id), one.of(id));
        }
        assertEquals(100, differ, "another installation's codes say nothing of this one's");
    }

    @Test
    void consecutiveIdsGiveCodesSpreadOverTheWholeSpace() {
        BookingCode codes = BookingCodeKey.codes(key(3));
        // with codes in order of ids, an adversary could count bookings: neighbours must be far apart
        // and the codes of 10,000 consecutive ids must fill every leading digit evenly
        int[] leading = new int[10];
        int near = 0;
        for (long id = 5000; id < 15_000; id++) {
            long a = Long.parseLong(codes.of(id).substring(0, 9));
            long b = Long.parseLong(codes.of(id + 1).substring(0, 9));
            if (Math.abs(a - b) < 1_000_000) {
                near++;
            }
            leading[(int) (a / 100_000_000)]++;
        }
        assertTrue(near < 30, near + " of 10,000 neighbours were within a million of each other");
        for (int count : leading) {
            assertTrue(count > 800 && count < 1200, "leading digits unevenly spread: " + java.util.Arrays.toString(leading));
        }
    }

    @Test
    void aShortKeyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BookingCodeKey.codes(new byte[8]));
    }
}
