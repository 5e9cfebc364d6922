package madoguchi.app.waitlist;

import madoguchi.domain.BookingWindow;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The SMS a resident gets when the city cancelled their booking (closure or capacity cut), in Japanese and English. */
public final class DisplacementText {
    private static final DateTimeFormatter JA = DateTimeFormatter.ofPattern("M月d日 H:mm", Locale.JAPAN);
    private static final DateTimeFormatter EN = DateTimeFormatter.ofPattern("d MMM H:mm", Locale.ENGLISH);

    private DisplacementText() {
    }

    public static String cancelled(String code, Instant start) {
        var t = start.atZone(BookingWindow.TOKYO);
        return "【川崎市】" + JA.format(t) + "のマイナンバーカード受取予約（予約番号 " + code
                + "）は窓口の都合により取り消されました。申し訳ありません。お手数ですが再度ご予約ください。"
                + " Kawasaki City: your My Number Card pick-up booking " + code + " on " + EN.format(t)
                + " was cancelled by the city office. We apologise; please book again.";
    }
}
