package madoguchi.app.booking;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The iCalendar text of a booking, read back the way RFC 5545 says a calendar reads it. */
class CalendarFileTest {
    static final Instant START = Instant.parse("2026-12-03T05:15:00Z"); // 14:15 in Tokyo

    @Test
    void oneEventInUtcWithEscapedTextCrlfAndFoldedLines() {
        String description = "予約番号 2033674467。交付通知書（はがき）、本人確認書類をお持ちください; 変更は\nウェブで, or call 0120-000-000 \\ thanks";
        String ics = CalendarFile.of(new CalendarFile.Entry("2033674467", START, START.plusSeconds(900),
                "マイナンバーカードの受け取り（川崎区役所）", "川崎区役所, 川崎市川崎区東田町8", description),
                Instant.parse("2026-12-01T00:00:00Z"), "madoguchi.example.jp");

        assertTrue(ics.endsWith("\r\n"));
        assertEquals(-1, ics.replace("\r\n", "").indexOf('\n'), "every line ends with CRLF, no bare LF");
        for (String line : ics.split("\r\n")) {
            assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= 75, "folded at 75 octets: " + line);
        }
        Map<String, String> p = unfold(ics);
        assertEquals("VCALENDAR", p.get("BEGIN"));
        assertEquals("2.0", p.get("VERSION"));
        assertEquals("booking-2033674467@madoguchi.example.jp", p.get("UID"));
        assertEquals("20261201T000000Z", p.get("DTSTAMP"));
        assertEquals("20261203T051500Z", p.get("DTSTART"));
        assertEquals("20261203T053000Z", p.get("DTEND"));
        assertEquals("マイナンバーカードの受け取り（川崎区役所）", unescape(p.get("SUMMARY")));
        assertEquals("川崎区役所\\, 川崎市川崎区東田町8", p.get("LOCATION"), "a comma is escaped");
        assertEquals(description, unescape(p.get("DESCRIPTION")), "the text survives escaping and folding whole");
        assertTrue(ics.contains("BEGIN:VEVENT\r\n") && ics.contains("END:VEVENT\r\nEND:VCALENDAR\r\n"));
    }

    @Test
    void foldingNeverSplitsACharacter() {
        String summary = "あ".repeat(100); // 300 octets: three octets each
        String ics = CalendarFile.of(new CalendarFile.Entry("1", START, START, summary, "", ""), START, "h");
        for (String line : ics.split("\r\n")) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            assertTrue(bytes.length <= 75);
            assertEquals(line, new String(bytes, StandardCharsets.UTF_8), "whole characters on every line");
        }
        assertEquals(summary, unfold(ics).get("SUMMARY"));
    }

    /** Unfolds (CRLF + one space or tab is removed) and maps each property name to its value. */
    static Map<String, String> unfold(String ics) {
        String unfolded = ics.replace("\r\n ", "").replace("\r\n\t", "");
        Map<String, String> out = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>(List.of(unfolded.split("\r\n")));
        for (String line : lines) {
            int colon = line.indexOf(':');
            out.putIfAbsent(line.substring(0, colon), line.substring(colon + 1));
        }
        return out;
    }

    static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char n = text.charAt(++i);
                out.append(n == 'n' || n == 'N' ? '\n' : n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
