package madoguchi.domain;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * When the call center answers, as {@code MADOGUCHI_CALL_CENTER_HOURS} writes it:
 * {@code "Mon-Fri 08:30-17:15"}, several spans joined by {@code ;}
 * ({@code "Mon-Fri 08:30-17:15; Sat 09:00-12:00"}), days as ranges or lists ({@code Mon,Wed,Fri}).
 * Times are Tokyo times. One reading for every use: the residents' page prints it, the phone
 * line may ask {@link #isOpen} before it queues a caller for an operator.
 */
public record CallCenterHours(List<Span> spans) {
    private static final String[] EN = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] JA = {"月", "火", "水", "木", "金", "土", "日"};

    /** Some days, from one time to another. */
    public record Span(Set<DayOfWeek> days, LocalTime opens, LocalTime closes) {
    }

    public CallCenterHours {
        spans = List.copyOf(spans);
    }

    /** The hours, or an {@link IllegalArgumentException} saying what is wrong in the text. */
    public static CallCenterHours parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty");
        }
        List<Span> spans = new ArrayList<>();
        for (String part : text.split(";")) {
            String[] bits = part.trim().split("\\s+");
            if (bits.length != 2) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not like 'Mon-Fri 08:30-17:15'");
            }
            String[] times = bits[1].split("-");
            if (times.length != 2) {
                throw new IllegalArgumentException("'" + bits[1] + "' is not a time range like 08:30-17:15");
            }
            LocalTime opens = time(times[0]);
            LocalTime closes = time(times[1]);
            if (!opens.isBefore(closes)) {
                throw new IllegalArgumentException("'" + bits[1] + "' closes before it opens");
            }
            spans.add(new Span(days(bits[0]), opens, closes));
        }
        return new CallCenterHours(spans);
    }

    /** Whether the call center answers at this moment (taken in Tokyo time). */
    public boolean isOpen(ZonedDateTime at) {
        ZonedDateTime tokyo = at.withZoneSameInstant(BookingWindow.TOKYO);
        LocalTime t = tokyo.toLocalTime();
        return spans.stream().anyMatch(s -> s.days().contains(tokyo.getDayOfWeek()) && !t.isBefore(s.opens()) && t.isBefore(s.closes()));
    }

    /** "月〜金 8:30〜17:15、土 9:00〜12:00" or "Mon–Fri 8:30–17:15, Sat 9:00–12:00". */
    public String text(boolean english) {
        List<String> out = new ArrayList<>();
        for (Span s : spans) {
            out.add(days(s.days(), english) + " " + hm(s.opens()) + (english ? "–" : "〜") + hm(s.closes()));
        }
        return String.join(english ? ", " : "、", out);
    }

    private static String days(Set<DayOfWeek> days, boolean english) {
        String[] names = english ? EN : JA;
        String dash = english ? "–" : "〜";
        List<String> runs = new ArrayList<>();
        int i = 1;
        while (i <= 7) {
            if (!days.contains(DayOfWeek.of(i))) {
                i++;
                continue;
            }
            int j = i;
            while (j < 7 && days.contains(DayOfWeek.of(j + 1))) {
                j++;
            }
            runs.add(j - i >= 2 ? names[i - 1] + dash + names[j - 1]
                    : j == i ? names[i - 1] : names[i - 1] + (english ? ", " : "・") + names[j - 1]);
            i = j + 1;
        }
        return String.join(english ? ", " : "・", runs);
    }

    private static String hm(LocalTime t) {
        return t.getHour() + ":" + String.format(Locale.ROOT, "%02d", t.getMinute());
    }

    private static LocalTime time(String text) {
        if (!text.matches("([01]?[0-9]|2[0-3]):[0-5][0-9]|24:00")) {
            throw new IllegalArgumentException("'" + text + "' is not a time HH:MM");
        }
        return text.equals("24:00") ? LocalTime.MAX : LocalTime.parse(text.length() == 4 ? "0" + text : text);
    }

    private static Set<DayOfWeek> days(String text) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : text.split(",")) {
            String[] range = item.split("-");
            if (range.length > 2) {
                throw new IllegalArgumentException("'" + item + "' is not a day or a range of days");
            }
            int from = day(range[0]);
            int to = day(range[range.length - 1]);
            for (int d = from; ; d = d % 7 + 1) {
                days.add(DayOfWeek.of(d));
                if (d == to) {
                    break;
                }
            }
        }
        return days;
    }

    private static int day(String name) {
        for (int i = 0; i < 7; i++) {
            if (EN[i].equalsIgnoreCase(name.trim())) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
    }
}
