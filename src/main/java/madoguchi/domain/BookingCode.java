package madoguchi.domain;

import java.util.function.IntBinaryOperator;

/**
 * Booking codes are ten digits so that callers can key them in and hear them read: nine digits
 * from a keyed permutation of the booking's id (unique by construction, but not sequential, so a
 * code does not reveal how many bookings exist) and a Damm check digit that catches every
 * single mistyped digit and every swap of two neighbours.
 *
 * <p>The permutation is a Feistel network on 30 bits whose round function is given: the service
 * passes one keyed with its installation's secret, so nobody who reads this source can turn
 * codes back into ids. {@link #legacy()} is the first build's network with keys written here,
 * kept only for installations that issued codes with it (codes are unique, so an installation
 * cannot change its permutation once codes exist).
 */
public final class BookingCode {
    private static final int SPACE = 1_000_000_000;
    private static final int HALF_BITS = 15;
    static final int HALF_MASK = (1 << HALF_BITS) - 1;
    private static final int[] LEGACY_KEYS = {0x2F3A, 0x51C7, 0x6B09, 0x1D64};
    private static final BookingCode LEGACY = new BookingCode(
            (round, half) -> legacyRound(half, LEGACY_KEYS[round]), LEGACY_KEYS.length);
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

    /** Gives round {@code r}'s 15 pseudo-random bits for a 15-bit half: {@code (r, half) -> bits}. */
    private final IntBinaryOperator round;
    private final int rounds;

    /**
     * A permutation of {@code rounds} Feistel rounds over {@code round}, which must return 15 bits
     * ({@link #HALF_MASK}) that depend on its secret, the round number and the half.
     */
    public BookingCode(IntBinaryOperator round, int rounds) {
        if (rounds < 4) {
            throw new IllegalArgumentException("a Feistel network needs at least 4 rounds");
        }
        this.round = round;
        this.rounds = rounds;
    }

    /** The first build's codes, for installations that issued them (see the class comment). */
    public static BookingCode legacy() {
        return LEGACY;
    }

    /** The code of booking {@code id} (0 ≤ id < 10⁹). */
    public String of(long id) {
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

    /** A Feistel network on 30 bits: a bijection, so distinct ids give distinct codes. */
    private int permute(int x) {
        int left = (x >>> HALF_BITS) & HALF_MASK;
        int right = x & HALF_MASK;
        for (int r = 0; r < rounds; r++) {
            int next = left ^ (round.applyAsInt(r, right) & HALF_MASK);
            left = right;
            right = next;
        }
        return (left << HALF_BITS) | right;
    }

    private static int legacyRound(int half, int key) {
        int h = (half * 0x9E37 + key) & 0xFFFF;
        h ^= h >>> 7;
        h = (h * 0x5BD1) & 0xFFFF;
        return (h ^ (h >>> 9)) & HALF_MASK;
    }
}
