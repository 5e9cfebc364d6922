package madoguchi.bench;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator's scan of an availability answer picks only a slot with free seats, never the one it is told to avoid. */
class SurgeLoadPickTest {
    private static final String ANSWER = "[{\"slotId\":7,\"start\":\"2026-12-07T08:30:00+09:00\",\"end\":\"2026-12-07T08:45:00+09:00\","
            + "\"remaining\":0,\"seats\":40},{\"slotId\":12345678901,\"start\":\"a\",\"end\":\"b\",\"remaining\":3,\"seats\":40},"
            + "{\"slotId\":9,\"start\":\"a\",\"end\":\"b\",\"remaining\":12,\"seats\":40}]";

    @RepeatedTest(20)
    void aFreeSlotOtherThanTheOneAvoided() {
        assertEquals(9, SurgeLoad.pick(ANSWER, 12345678901L));
        long any = SurgeLoad.pick(ANSWER, -1);
        assertTrue(any == 9 || any == 12345678901L, "picked " + any);
    }

    @Test
    void noneWhenNothingIsFree() {
        assertEquals(-1, SurgeLoad.pick("[]", -1));
        assertEquals(-1, SurgeLoad.pick("[{\"slotId\":7,\"start\":\"a\",\"end\":\"b\",\"remaining\":0,\"seats\":40}]", -1));
        assertEquals(-1, SurgeLoad.pick("[{\"slotId\":7,\"start\":\"a\",\"end\":\"b\",\"remaining\":4,\"seats\":40}]", 7));
    }
}
