package madoguchi.domain;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Japanese eras (和暦) in which residents still think of their birth dates: 昭和57年9月12日 is
 * 1982-09-12. Era year 1 (元年) is the Gregorian year the era began; a date is only accepted inside
 * its era (昭和64年1月8日 was already 平成元年). On the phone keypad the era is one digit, in order:
 * 1 明治, 2 大正, 3 昭和, 4 平成, 5 令和.
 */
public enum JapaneseEra {
    MEIJI("明治", "めいじ", "meiji", LocalDate.of(1868, 1, 25)),
    TAISHO("大正", "たいしょう", "taisho", LocalDate.of(1912, 7, 30)),
    SHOWA("昭和", "しょうわ", "showa", LocalDate.of(1926, 12, 25)),
    HEISEI("平成", "へいせい", "heisei", LocalDate.of(1989, 1, 8)),
    REIWA("令和", "れいわ", "reiwa", LocalDate.of(2019, 5, 1));

    private final String kanji;
    private final String kana;
    private final String romaji;
    private final LocalDate first;

    JapaneseEra(String kanji, String kana, String romaji, LocalDate first) {
        this.kanji = kanji;
        this.kana = kana;
        this.romaji = romaji;
        this.first = first;
    }

    public String kanji() {
        return kanji;
    }

    /** The keypad digit of the era: 1 明治 … 5 令和. */
    public int digit() {
        return ordinal() + 1;
    }

    public static Optional<JapaneseEra> ofDigit(int digit) {
        return digit >= 1 && digit <= values().length ? Optional.of(values()[digit - 1]) : Optional.empty();
    }

    /** An era by its name as written or said: 昭和, しょうわ, Showa. */
    public static Optional<JapaneseEra> named(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT).replace("ō", "o").replace("ou", "o");
        for (JapaneseEra e : values()) {
            if (e.kanji.equals(n) || e.kana.equals(n) || e.romaji.equals(n)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The Gregorian date of era year {@code year}, month and day; empty when there is no such day in this era. */
    public Optional<LocalDate> toGregorian(int year, int month, int day) {
        if (year < 1) {
            return Optional.empty();
        }
        LocalDate date;
        try {
            date = LocalDate.of(first.getYear() + year - 1, month, day);
        } catch (DateTimeException e) {
            return Optional.empty();
        }
        JapaneseEra next = ordinal() + 1 < values().length ? values()[ordinal() + 1] : null;
        if (date.isBefore(first) || (next != null && !date.isBefore(next.first))) {
            return Optional.empty();
        }
        return Optional.of(date);
    }

    /** The era a Gregorian date falls in (from 明治), and its era year: 1982-09-12 → 昭和 57. */
    public static Optional<Dated> of(LocalDate date) {
        List<JapaneseEra> all = List.of(values());
        for (int i = all.size() - 1; i >= 0; i--) {
            JapaneseEra e = all.get(i);
            if (!date.isBefore(e.first)) {
                return Optional.of(new Dated(e, date.getYear() - e.first.getYear() + 1));
            }
        }
        return Optional.empty();
    }

    /** An era and a year in it. */
    public record Dated(JapaneseEra era, int year) {
    }
}
