package madoguchi.telephony;

import madoguchi.domain.BookingWindow;
import madoguchi.domain.CallCenterHours;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;

/** The call center's hours as said to a caller, from the prompt files' words (hours_*, day_*). */
final class HoursSpoken {
    private HoursSpoken() {
    }

    /** e.g. 「月曜日から金曜日は午前8時30分から午後5時15分まで、土曜日は午前9時から午後0時まで」. */
    static String of(CallCenterHours hours, String lang, CallbackDesk.Said said) {
        List<String> parts = new ArrayList<>();
        for (CallCenterHours.Entry e : hours.entries()) {
            if (e.opens() == null) {
                continue;
            }
            String days = e.holiday() ? said.text(lang, "hours_holiday")
                    : e.first() == e.last() ? said.text(lang, "day_" + e.first().getValue())
                    : said.text(lang, "hours_days_range").replace("{first}", said.text(lang, "day_" + e.first().getValue()))
                            .replace("{last}", said.text(lang, "day_" + e.last().getValue()));
            parts.add(said.text(lang, "hours_entry").replace("{days}", days)
                    .replace("{from}", time(e.opens(), lang)).replace("{to}", time(e.closes(), lang)));
        }
        return String.join(said.text(lang, "hours_separator"), parts);
    }

    private static String time(LocalTime t, String lang) {
        return Spoken.time(LocalDate.of(2000, 1, 3).atTime(t).atZone(BookingWindow.TOKYO).toInstant(), lang);
    }
}
