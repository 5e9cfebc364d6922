package madoguchi.bench;

import madoguchi.domain.ActiveBooking;
import madoguchi.domain.BookingCode;
import madoguchi.domain.Channel;
import madoguchi.domain.Decision;
import madoguchi.domain.SeatLedger;
import madoguchi.domain.SlotLimits;
import madoguchi.domain.SlotSnapshot;
import madoguchi.domain.Verdict;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Instant;

/**
 * Decisions per second of one shard's ledger on one thread: the in-memory part of a booking
 * (lookup, comparison, increment, bookkeeping) without the database.
 *
 * <p>Run: {@code mvn -q -B test-compile && java -cp "target/test-classes:target/classes:$(cat target/cp.txt)"
 * org.openjdk.jmh.Main LedgerBenchmark} (see BENCHMARKS.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class LedgerBenchmark {
    private static final int SLOTS = 1_500;
    private static final int CARDS = 100_000;
    private static final Instant START = Instant.parse("2026-12-03T01:00:00Z");

    private SeatLedger ledger;
    private ActiveBooking[] bookings;
    private ActiveBooking[] hot;
    private int next;

    @Setup
    public void setUp() {
        ledger = new SeatLedger();
        for (int s = 0; s < SLOTS; s++) {
            ledger.load(new SlotSnapshot(s, "center", START.plusSeconds(900L * s), START.plusSeconds(900L * s + 900),
                    new SlotLimits(40, 30, 35, false), 0, 0, 0, 1));
        }
        ledger.load(new SlotSnapshot(SLOTS, "center", START, START.plusSeconds(900), new SlotLimits(100, 100, 100, false),
                100, 0, 0, 1));
        bookings = new ActiveBooking[CARDS];
        hot = new ActiveBooking[CARDS];
        for (int c = 0; c < CARDS; c++) {
            bookings[c] = new ActiveBooking(c, BookingCode.legacy().of(c), c, c % SLOTS, Channel.WEB, false, null, "bench");
            hot[c] = new ActiveBooking(c, BookingCode.legacy().of(c), c, SLOTS, Channel.WEB, false, null, "bench");
        }
    }

    /** Two decisions: a booking and its cancellation, each settled as after a commit. */
    @Benchmark
    @OperationsPerInvocation(2)
    public Object bookThenCancel() {
        ActiveBooking b = bookings[next];
        next = next + 1 == CARDS ? 0 : next + 1;
        Decision made = (Decision) ledger.book(b);
        ledger.settle(made);
        Decision cancelled = (Decision) ledger.cancel(b.cardId(), b.code(), "bench");
        ledger.settle(cancelled);
        return cancelled;
    }

    /**
     * Baseline beside it: the least a decision can cost — one array read, compare and increment,
     * no bookkeeping. The ratio says what the ledger's bookkeeping adds.
     */
    @Benchmark
    @OperationsPerInvocation(2)
    public int baselineBareCounter() {
        int slot = next;
        next = next + 1 == CARDS ? 0 : next + 1;
        int s = slot % SLOTS;
        if (counters[s] < 40) {
            counters[s]++;
        }
        counters[s]--;
        return counters[s];
    }

    private final int[] counters = new int[SLOTS];

    /** One decision refused: the hot slot is full (what most requests meet in a surge). */
    @Benchmark
    public Verdict refusedOnAFullSlot() {
        ActiveBooking b = hot[next];
        next = next + 1 == CARDS ? 0 : next + 1;
        return ledger.book(b);
    }
}
