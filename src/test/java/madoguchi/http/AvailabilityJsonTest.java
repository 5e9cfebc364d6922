package madoguchi.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.domain.Channel;
import madoguchi.domain.SlotLimits;
import madoguchi.domain.SlotSeats;
import madoguchi.domain.SlotSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The availability answer written as text says, byte for byte, what the JsonObjects it replaced said. */
class AvailabilityJsonTest {
    private static final Instant NINE = Instant.parse("2026-12-07T00:00:00Z"); // 09:00 in Tokyo

    private static SlotSeats slot(long id, int minutes, SlotLimits limits, int booked, int held) {
        Instant start = NINE.plus(Duration.ofMinutes(minutes));
        return new SlotSeats(new SlotSnapshot(id, "center", start, start.plus(Duration.ofMinutes(15)), limits, booked, held, 0, 1));
    }

    /** How the answer was made before: a JsonObject per slot, encoded by Jackson. */
    private static String asBefore(List<SlotSeats> slots, Channel channel) {
        JsonArray out = new JsonArray();
        for (SlotSeats s : slots) {
            out.add(new JsonObject().put("slotId", s.id()).put("start", Answers.time(s.start())).put("end", Answers.time(s.end()))
                    .put("remaining", s.remaining(channel)).put("seats", AvailabilityJson.seats(s, channel)));
        }
        return out.encode();
    }

    private static String written(AvailabilityJson json, List<SlotSeats> slots, Channel channel) {
        AvailabilityJson.Answer answer = json.answer();
        slots.forEach(s -> answer.add(s, s.remaining(channel), AvailabilityJson.seats(s, channel)));
        return answer.text();
    }

    @Test
    void theSameTextAsTheJsonObjectsForEveryChannelAndKindOfSlot() {
        List<SlotSeats> slots = List.of(
                slot(1, 0, new SlotLimits(10, 3, 6, false), 2, 1),        // seats free on every channel
                slot(2, 15, new SlotLimits(10, 3, 6, false), 6, 4),       // full
                slot(9_000_000_001L, 180, new SlotLimits(4, 0, 2, false), 0, 0), // no web seats, a large id
                slot(4, 240, new SlotLimits(10, 3, 6, true), 0, 0));      // blocked: no seats at all
        AvailabilityJson json = new AvailabilityJson();
        for (Channel channel : Channel.values()) {
            // twice: the second answer comes from the kept slot lines
            assertEquals(asBefore(slots, channel), written(json, slots, channel), channel.name());
            assertEquals(asBefore(slots, channel), written(json, slots, channel), channel.name() + ", kept lines");
        }
    }

    @Test
    void noSlotsIsAnEmptyArrayAndEachAnswerIsItsOwn() {
        AvailabilityJson json = new AvailabilityJson();
        AvailabilityJson.Answer one = json.answer();
        AvailabilityJson.Answer two = json.answer();
        one.add(slot(1, 0, new SlotLimits(10, 3, 6, false), 0, 0), 3, 3);
        assertEquals("[]", two.text());
        assertEquals(1, new JsonArray(one.text()).size());
    }

    @Test
    void countsComeFromTheRequestNotFromTheKeptLine() {
        AvailabilityJson json = new AvailabilityJson();
        SlotSeats s = slot(7, 0, new SlotLimits(10, 10, 10, false), 0, 0);
        AvailabilityJson.Answer before = json.answer();
        before.add(s, 10, 10);
        AvailabilityJson.Answer after = json.answer();
        after.add(s, 3, 10);
        assertEquals(10, new JsonArray(before.text()).getJsonObject(0).getInteger("remaining"));
        assertEquals(3, new JsonArray(after.text()).getJsonObject(0).getInteger("remaining"));
    }
}
