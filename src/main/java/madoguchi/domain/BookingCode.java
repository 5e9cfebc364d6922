package madoguchi.domain;

/**
 * Booking codes are ten digits so that callers can key them in and hear them read: nine digits
 * from a keyed permutation of the booking's id (unique by construction, but not sequential, so a
 * code does not reveal how many bookings exist) and a Damm check digit that catches every
 * single mistyped digit and every swap of two neighbours.
 */
public final class BookingCode {
    private static final int SPACE = 1_000_000_000;
    private static final int HALF_BITS = 15;
    private static final int HALF_MASK = (1 << HALF_BITS) - 1;
    private static final int[] KEYS = {0x2F3A, 0x51C7, 0x6B09, 0x1D64};
    private static final int[][] DAMM = {
        {0, 3, 1, 7, 5, 9, 8, 6, 4, 2},
        {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
        {4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
        {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
        {6, 1, 2, 3, 0, 4, 5, 9, 7, 8},
        {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
        {5, 8, 6, 9, 7, 2, 0, 1, 3, 4},
        {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
        {9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
        {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
    };

    private BookingCode() {
    }

    /** The code of booking {@code id} (0 ≤ id < 10⁹). */
    public static String of(long id) {
        if (id < 0 || id >= SPACE) {
            throw new IllegalArgumentException("booking id out of range: " + id);
        }
        int x = (int) id;
        do {
            x = permute(x);
        } while (x >= SPACE); // cycle-walk back into the nine-digit space
        String digits = String.format("%09d", x);
        return digits + checkDigit(digits);
    }

    /** Strips the spaces and dashes people type; null when what is left is not a valid code. */
    public static String normalize(String typed) {
        if (typed == null) {
            return null;
        }
        String digits = typed.replace(" ", "").replace("-", "");
        if (digits.length() != 10 || !digits.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return null;
        }
        return dammOf(digits) == 0 ? digits : null;
    }

    static int checkDigit(String digits) {
        return dammOf(digits);
    }

    private static int dammOf(String digits) {
        int interim = 0;
        for (int i = 0; i < digits.length(); i++) {
            interim = DAMM[interim][digits.charAt(i) - '0'];
        }
        return interim;
    }

    /** A four-round Feistel network on 30 bits: a bijection, so distinct ids give distinct codes. */
    private static int permute(int x) {
        int left = (x >>> HALF_BITS) & HALF_MASK;
        int right = x & HALF_MASK;
        for (int key : KEYS) {
            int next = left ^ round(right, key);
            left = right;
            right = next;
        }
        return (left << HALF_BITS) | right;
    }

    private static int round(int half, int key) {
        int h = (half * 0x9E37 + key) & 0xFFFF;
        h ^= h >>> 7;
        h = (h * 0x5BD1) & 0xFFFF;
        return (h ^ (h >>> 9)) & HALF_MASK;
    }
}
