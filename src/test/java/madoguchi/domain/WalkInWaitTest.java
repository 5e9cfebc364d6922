package madoguchi.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The expected wait at a walk-in site: people ahead, at the measured pace once there is one, shared by the counters calling. */
class WalkInWaitTest {

    @Test
    void beforeFiveAreServedTheDefaultPaceCounts() {
        assertEquals(60, WalkInWait.minutes(10, 4, Duration.ofMinutes(4), 1), "10 × 6 minutes");
    }

    @Test
    void thenTheMeasuredPaceSharedByTheCounters() {
        // 10 served in 40 minutes: 4 minutes each; 9 ahead over 3 counters: 12 minutes
        assertEquals(12, WalkInWait.minutes(9, 10, Duration.ofMinutes(40), 3));
        assertEquals(2, WalkInWait.minutes(1, 10, Duration.ofSeconds(610), 1), "61 s a resident rounds up to 2 minutes");
        assertEquals(0, WalkInWait.minutes(0, 10, Duration.ofMinutes(40), 3), "nobody ahead");
        assertEquals(36, WalkInWait.minutes(9, 10, Duration.ofMinutes(40), 0), "no counter calling yet: one is assumed");
    }
}
