package madoguchi.app.booking;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A booking as an iCalendar file (RFC 5545) a resident adds to their calendar: one VEVENT with
 * its times in UTC (so no VTIMEZONE is needed and every calendar shows the Tokyo time right),
 * text escaped, lines folded at 75 octets and ended by CRLF. The UID is the booking code's, so
 * a file downloaded again after a reschedule updates the same entry instead of adding a second.
 */
public final class CalendarFile {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final int MAX_OCTETS = 75;

    /** What the entry says: the words are the caller's (in the resident's language). */
    public record Entry(String code, Instant start, Instant end, String summary, String location, String description) {
    }

    private CalendarFile() {
    }

    /** The file's text; {@code now} is its DTSTAMP, {@code host} names the service in the UID. */
    public static String of(Entry e, Instant now, String host) {
        StringBuilder out = new StringBuilder();
        line(out, "BEGIN:VCALENDAR");
        line(out, "VERSION:2.0");
        line(out, "PRODID:-//City of Kawasaki//madoguchi//EN");
        line(out, "CALSCALE:GREGORIAN");
        line(out, "METHOD:PUBLISH");
        line(out, "BEGIN:VEVENT");
        line(out, "UID:booking-" + e.code() + "@" + host);
        line(out, "DTSTAMP:" + UTC.format(now));
        line(out, "DTSTART:" + UTC.format(e.start()));
        line(out, "DTEND:" + UTC.format(e.end()));
        line(out, "SUMMARY:" + escape(e.summary()));
        line(out, "LOCATION:" + escape(e.location()));
        line(out, "DESCRIPTION:" + escape(e.description()));
        line(out, "STATUS:CONFIRMED");
        line(out, "TRANSP:OPAQUE");
        line(out, "END:VEVENT");
        line(out, "END:VCALENDAR");
        return out.toString();
    }

    /** TEXT values: backslash, semicolon and comma escaped, line breaks as \n (RFC 5545 3.3.11). */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
                .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n");
    }

    /** One content line, folded: no line longer than 75 octets, never splitting a character (3.1). */
    private static void line(StringBuilder out, String content) {
        int octets = 0;
        int i = 0;
        while (i < content.length()) {
            int cp = content.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (octets + size > MAX_OCTETS) {
                out.append("\r\n ");
                octets = 1; // the space that starts the continuation counts
            }
            out.appendCodePoint(cp);
            octets += size;
            i += Character.charCount(cp);
        }
        out.append("\r\n");
    }
}
