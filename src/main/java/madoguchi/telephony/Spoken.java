package madoguchi.telephony;

import madoguchi.domain.BookingWindow;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Dates, times and codes the way people say them, in Tokyo time:
 * "12月3日 木曜日 午後2時15分" and "Thursday, December 3rd at 2:15 PM".
 */
public final class Spoken {
    private static final String[] JA_DAYS = {"月曜日", "火曜日", "水曜日", "木曜日", "金曜日", "土曜日", "日曜日"};

    private Spoken() {
    }

    public static String dateTime(Instant t, String language) {
        ZonedDateTime z = t.atZone(BookingWindow.TOKYO);
        if ("ja".equals(language)) {
            return z.getMonthValue() + "月" + z.getDayOfMonth() + "日 " + JA_DAYS[z.getDayOfWeek().getValue() - 1] + " " + time(t, "ja");
        }
        return z.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + ", "
                + z.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + ordinal(z.getDayOfMonth())
                + " at " + time(t, "en");
    }

    /** "午後2時15分", "午前9時", "正午" / "2:15 PM", "9 AM", "noon". */
    public static String time(Instant t, String language) {
        ZonedDateTime z = t.atZone(BookingWindow.TOKYO);
        int h = z.getHour();
        int m = z.getMinute();
        if (h == 12 && m == 0) {
            // 「午後0時」 and "12 PM" are misheard as midnight
            return "ja".equals(language) ? "正午" : "noon";
        }
        if ("ja".equals(language)) {
            return (h < 12 ? "午前" : "午後") + (h % 12) + "時" + (m == 0 ? "" : m + "分");
        }
        int h12 = h % 12 == 0 ? 12 : h % 12;
        return h12 + (m == 0 ? "" : String.format(":%02d", m)) + (h < 12 ? " AM" : " PM");
    }

    static String ordinal(int day) {
        if (day % 100 >= 11 && day % 100 <= 13) {
            return day + "th";
        }
        switch (day % 10) {
            case 1:
                return day + "st";
            case 2:
                return day + "nd";
            case 3:
                return day + "rd";
            default:
                return day + "th";
        }
    }

    /** Opens and closes a group of digits said one by one; {@link Twiml} makes it SSML {@code <say-as interpret-as="digits">}. */
    static final char OPEN = '\u27E6';
    static final char CLOSE = '\u27E7';
    private static final java.util.regex.Pattern GROUP = java.util.regex.Pattern.compile("\u27E6([0-9]+)\u27E7");

    /**
     * A booking code (or any number read back) to be said digit by digit in groups, 3-3-4 for ten
     * digits (as phone numbers are said), else groups of four: each group becomes a {@code <say-as
     * interpret-as="digits">} with a pause after it, so the voice does not say "one billion".
     */
    public static String code(String code, String language) {
        StringBuilder out = new StringBuilder();
        for (String g : groups(code)) {
            out.append(OPEN).append(g).append(CLOSE);
        }
        return out.toString();
    }

    static java.util.List<String> groups(String digits) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (digits.length() == 10) {
            return java.util.List.of(digits.substring(0, 3), digits.substring(3, 6), digits.substring(6));
        }
        for (int i = 0; i < digits.length(); i += 4) {
            out.add(digits.substring(i, Math.min(digits.length(), i + 4)));
        }
        return out;
    }

    static java.util.regex.Matcher groupsIn(String text) {
        return GROUP.matcher(text);
    }

    /** A date as people say it: 「1982年9月12日」 (with its era: 「昭和57年」), "September 12th, 1982". */
    public static String date(java.time.LocalDate d, String language, boolean withEra) {
        if ("ja".equals(language)) {
            String western = d.getYear() + "年" + d.getMonthValue() + "月" + d.getDayOfMonth() + "日";
            if (!withEra) {
                return western;
            }
            return madoguchi.domain.JapaneseEra.of(d).map(e -> d.getYear() + "年、" + e.era().kanji()
                    + (e.year() == 1 ? "元" : Integer.toString(e.year())) + "年" + d.getMonthValue() + "月" + d.getDayOfMonth() + "日")
                    .orElse(western);
        }
        return d.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + ordinal(d.getDayOfMonth()) + ", " + d.getYear();
    }

    /** A day of the booking calendar: 「12月7日 月曜日」, "Monday, December 7th". */
    public static String day(java.time.LocalDate d, String language) {
        if ("ja".equals(language)) {
            return d.getMonthValue() + "月" + d.getDayOfMonth() + "日 " + JA_DAYS[d.getDayOfWeek().getValue() - 1];
        }
        return d.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + ", "
                + d.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + ordinal(d.getDayOfMonth());
    }
}
