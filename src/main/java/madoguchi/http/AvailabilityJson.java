package madoguchi.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import madoguchi.domain.Channel;
import madoguchi.domain.SlotSeats;

/**
 * The availability answer, written as text. It is the most requested answer in a surge (every
 * resident reads two weeks, about 340 slots, before booking) and was a third of the service's CPU:
 * a JsonObject per slot, two dates formatted per slot, then Jackson. A slot's id and times never
 * change, so their part of the line is written once per slot and kept; per request only the
 * counts are added. The text is the same as {@code new JsonObject().put("slotId", …)…encode()}
 * gave (AvailabilityJsonTest holds it to that).
 */
final class AvailabilityJson {
    /** {@code {"slotId":1,"start":"…","end":"…","remaining":} by slot id; slots of the booking horizon, and some past. */
    private final Cache<Long, String> heads = Caffeine.newBuilder().maximumSize(500_000).build();

    /** One answer being written; not shared between requests. */
    final class Answer {
        private final StringBuilder text = new StringBuilder(16_384).append('[');
        private boolean any;

        void add(SlotSeats slot, int remaining, int seats) {
            if (any) {
                text.append(',');
            }
            any = true;
            text.append(heads.get(slot.id(), id -> head(slot))).append(remaining).append(",\"seats\":").append(seats).append('}');
        }

        String text() {
            return text.append(']').toString();
        }
    }

    Answer answer() {
        return new Answer();
    }

    /** Times are ISO-8601 with the Tokyo offset: digits, '-', ':', '+' and 'T', nothing to escape. */
    private static String head(SlotSeats slot) {
        return "{\"slotId\":" + slot.id() + ",\"start\":\"" + Answers.time(slot.start()) + "\",\"end\":\""
                + Answers.time(slot.end()) + "\",\"remaining\":";
    }

    /** The seats the channel may fill in the slot, free or not (none when it is blocked): what {@code remaining} is a share of. */
    static int seats(SlotSeats slot, Channel channel) {
        var limits = slot.limits();
        return limits.blocked() ? 0 : limits.limit(channel);
    }
}
