package madoguchi.domain;

import java.time.Duration;

/**
 * A place where cards are handed out, with its booking rules. A walk-in site (予約不要) takes
 * no bookings.
 */
public record Site(String id, String nameJa, String nameEn, SiteKind kind, String addressJa, String addressEn,
                   boolean walkIn, int slotMinutes, BookingWindow window, Duration webHold, Duration phoneHold) {

    public Duration holdFor(Channel channel) {
        return channel == Channel.WEB ? webHold : phoneHold;
    }
}
