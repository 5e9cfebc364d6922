package madoguchi.domain;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BookingCodeTest {

    @Test
    void theDammCheckDigitOfTheTextbookExample() {
        assertEquals(4, BookingCode.checkDigit("572"));
    }

    @Test
    void codesAreTenDigitsUniqueAndNotSequential() {
        Set<String> seen = new HashSet<>();
        for (long id = 1000; id < 201_000; id++) {
            String code = BookingCode.legacy().of(id);
            assertEquals(10, code.length());
            assertTrue(seen.add(code), "duplicate code for id " + id);
        }
        assertNotEquals(BookingCode.legacy().of(1001).substring(0, 6), BookingCode.legacy().of(1002).substring(0, 6));
        assertEquals(10, BookingCode.legacy().of(999_999_999).length());
    }

    @Test
    void everySingleTypoAndEveryNeighbourSwapIsCaught() {
        String code = BookingCode.legacy().of(123_456);
        assertEquals(code, BookingCode.normalize(code.substring(0, 3) + "-" + code.substring(3, 7) + " " + code.substring(7)));
        for (int i = 0; i < 10; i++) {
            for (char d = '0'; d <= '9'; d++) {
                if (d != code.charAt(i)) {
                    String typo = code.substring(0, i) + d + code.substring(i + 1);
                    assertNull(BookingCode.normalize(typo), typo);
                }
            }
            if (i < 9 && code.charAt(i) != code.charAt(i + 1)) {
                String swapped = code.substring(0, i) + code.charAt(i + 1) + code.charAt(i) + code.substring(i + 2);
                assertNull(BookingCode.normalize(swapped), swapped);
            }
        }
        assertNull(BookingCode.normalize("12345"));
        assertNull(BookingCode.normalize("abcdefghij"));
    }
}
