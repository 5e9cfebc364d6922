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

    /** "午後2時15分", "午前9時" / "2:15 PM", "9 AM". */
    public static String time(Instant t, String language) {
        ZonedDateTime z = t.atZone(BookingWindow.TOKYO);
        int h = z.getHour();
        int m = z.getMinute();
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

    /** A booking code read digit by digit ("1、2、3" / "1, 2, 3"), so the voice does not say "one billion". */
    public static String code(String code, String language) {
        String sep = "ja".equals(language) ? "、" : ", ";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < code.length(); i++) {
            if (i > 0) {
                out.append(sep);
            }
            out.append(code.charAt(i));
        }
        return out.toString();
    }

}
