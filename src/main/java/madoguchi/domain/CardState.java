package madoguchi.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * The card's place in the national issuing process (J-LIS's 番号管理システム), as the city's report
 * numbers it: ① applied, ② incomplete (with a reason), ③ in production at J-LIS, ④ delivered to
 * the city, ⑤ inspected, ⑥ delivered to its site (ward office or center), ⑦ notice mailed,
 * ⑧ ready (交付前設定済: set up for hand-over), ⑨ issued, ⑩ cancelled (returned, disposed, with a
 * reason). Only a ready card may be booked; a status file may move a card over several steps at
 * once, and every move is kept in the card's history.
 */
public enum CardState {
    APPLIED(1, "申請書受付済"),
    INCOMPLETE(2, "受付済・不備中"),
    IN_PRODUCTION(3, "カード製造中（J-LIS）"),
    DELIVERED(4, "市に納品済"),
    INSPECTED(5, "検品済"),
    AT_SITE(6, "交付場所へ配送済"),
    NOTICE_MAILED(7, "交付通知書発送済"),
    READY(8, "交付前設定済"),
    ISSUED(9, "交付済"),
    CANCELLED(10, "交付取止め");

    private final int step;
    private final String japanese;

    CardState(int step, String japanese) {
        this.step = step;
        this.japanese = japanese;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The step's number in the process, 1 to 10 (① … ⑩). */
    public int step() {
        return step;
    }

    /** The step's name as the national system and the city's report write it. */
    public String japanese() {
        return japanese;
    }

    /** Every state's wire name, in the order of the process, for messages. */
    public static String wires() {
        StringBuilder out = new StringBuilder();
        for (CardState s : values()) {
            out.append(out.length() == 0 ? "" : ", ").append(s.wire());
        }
        return out.toString();
    }

    public static Optional<CardState> fromWire(String text) {
        for (CardState s : values()) {
            if (s.wire().equals(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
