package madoguchi.domain;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * When the call center answers (MADOGUCHI_CALL_CENTER_HOURS): hours per weekday and on holidays,
 * written as {@code "mon-fri 08:30-17:15; sat 09:00-12:00; holiday closed"} (Tokyo times, days in
 * any case). Days not named are closed; a holiday follows the {@code holiday} entry (closed when
 * there is none). {@link #ALWAYS} is the line without set hours: the queue is open at any time.
 * One reading for every use: the phone line queues callers only within them, and the residents'
 * pages print them ({@link #text}).
 */
public final class CallCenterHours {
    /** One entry as written: a day or a range of days (or holidays), with its hours (null = closed). */
    public record Entry(DayOfWeek first, DayOfWeek last, boolean holiday, LocalTime opens, LocalTime closes) {
    }

    public static final CallCenterHours ALWAYS = new CallCenterHours(List.of(), true);

    private final List<Entry> entries;
    private final boolean always;
    private final Map<DayOfWeek, Entry> byDay = new EnumMap<>(DayOfWeek.class);
    private Entry holiday;

    private CallCenterHours(List<Entry> entries, boolean always) {
        this.entries = List.copyOf(entries);
        this.always = always;
        for (Entry e : entries) {
            if (e.holiday()) {
                holiday = e;
                continue;
            }
            for (int d = e.first().getValue(); ; d = d % 7 + 1) {
                byDay.put(DayOfWeek.of(d), e);
                if (d == e.last().getValue()) {
                    break;
                }
            }
        }
    }

    /** Reads the hours as written in the configuration; a clear message naming the part that is wrong. */
    public static CallCenterHours parse(String text) {
        if (text == null || text.isBlank()) {
            return ALWAYS;
        }
        List<Entry> entries = new ArrayList<>();
        for (String part : text.split(";")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.isEmpty()) {
                continue;
            }
            String[] words = p.split("\\s+");
            if (words.length != 2) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not 'days HH:MM-HH:MM' or 'days closed'");
            }
            LocalTime opens = null;
            LocalTime closes = null;
            if (!words[1].equals("closed")) {
                String[] times = words[1].split("-");
                try {
                    opens = LocalTime.parse(times[0]);
                    closes = LocalTime.parse(times[1]);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("'" + part.trim() + "': hours are HH:MM-HH:MM or closed");
                }
                if (!opens.isBefore(closes)) {
                    throw new IllegalArgumentException("'" + part.trim() + "': opens after it closes");
                }
            }
            if (words[0].equals("holiday")) {
                entries.add(new Entry(null, null, true, opens, closes));
                continue;
            }
            String[] days = words[0].split("-");
            if (days.length > 2) {
                throw new IllegalArgumentException("'" + part.trim() + "': days are mon, mon-fri, ...");
            }
            entries.add(new Entry(day(days[0], part), day(days[days.length - 1], part), false, opens, closes));
        }
        return new CallCenterHours(entries, false);
    }

    private static DayOfWeek day(String word, String part) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().toLowerCase(Locale.ROOT).startsWith(word) && word.length() == 3) {
                return d;
            }
        }
        throw new IllegalArgumentException("'" + part.trim() + "': '" + word + "' is not a day (mon, tue, ... sun, holiday)");
    }

    /** Whether operators answer at {@code at} (Tokyo time), {@code holiday} telling whether the day is one. */
    public boolean open(LocalDateTime at, boolean holiday) {
        if (always) {
            return true;
        }
        Entry e = holiday ? this.holiday : byDay.get(at.getDayOfWeek());
        if (e == null || e.opens() == null) {
            return false;
        }
        LocalTime t = at.toLocalTime();
        return !t.isBefore(e.opens()) && t.isBefore(e.closes());
    }

    public boolean always() {
        return always;
    }

    /**
     * The hours as the residents' pages print them: 「月〜金 8:30〜17:15、土 9:00〜12:00、祝日 休み」 or
     * "Mon–Fri 8:30–17:15, Sat 9:00–12:00, holidays closed"; empty for {@link #ALWAYS}. Holidays
     * are always named, since a weekday holiday without an entry is closed and a reader would not guess it.
     */
    public String text(boolean english) {
        if (always) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            String days = e.holiday() ? (english ? "holidays" : "祝日") : dayNames(e, english);
            String hours = e.opens() == null ? (english ? "closed" : "休み")
                    : hm(e.opens()) + (english ? "–" : "〜") + hm(e.closes());
            out.add(days + " " + hours);
        }
        if (holiday == null) {
            out.add(english ? "holidays closed" : "祝日 休み");
        }
        return String.join(english ? ", " : "、", out);
    }

    private static final String[] EN = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] JA = {"月", "火", "水", "木", "金", "土", "日"};

    private static String dayNames(Entry e, boolean english) {
        String[] names = english ? EN : JA;
        String first = names[e.first().getValue() - 1];
        return e.first() == e.last() ? first : first + (english ? "–" : "〜") + names[e.last().getValue() - 1];
    }

    private static String hm(LocalTime t) {
        return t.getHour() + ":" + String.format(Locale.ROOT, "%02d", t.getMinute());
    }

    /** The entries as written, in order (to be said to callers). */
    public List<Entry> entries() {
        return entries;
    }
}
