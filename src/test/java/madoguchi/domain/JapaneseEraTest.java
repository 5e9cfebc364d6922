package madoguchi.domain;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** 和暦 to the Gregorian calendar: the era's first year is year 1, dates outside the era are refused. */
class JapaneseEraTest {
    @Test
    void eraYearsBecomeGregorianYears() {
        assertEquals(Optional.of(LocalDate.of(1982, 9, 12)), JapaneseEra.SHOWA.toGregorian(57, 9, 12));
        assertEquals(Optional.of(LocalDate.of(1940, 1, 1)), JapaneseEra.SHOWA.toGregorian(15, 1, 1));
        assertEquals(Optional.of(LocalDate.of(1995, 4, 3)), JapaneseEra.HEISEI.toGregorian(7, 4, 3));
        assertEquals(Optional.of(LocalDate.of(1920, 2, 29)), JapaneseEra.TAISHO.toGregorian(9, 2, 29), "a leap day");
        assertEquals(Optional.of(LocalDate.of(1910, 5, 5)), JapaneseEra.MEIJI.toGregorian(43, 5, 5));
        assertEquals(Optional.of(LocalDate.of(2019, 5, 1)), JapaneseEra.REIWA.toGregorian(1, 5, 1), "令和元年5月1日");
    }

    @Test
    void aDateOutsideItsEraIsNoDate() {
        assertEquals(Optional.of(LocalDate.of(1989, 1, 7)), JapaneseEra.SHOWA.toGregorian(64, 1, 7), "the last day of 昭和");
        assertEquals(Optional.empty(), JapaneseEra.SHOWA.toGregorian(64, 1, 8), "already 平成元年");
        assertEquals(Optional.empty(), JapaneseEra.SHOWA.toGregorian(65, 1, 1));
        assertEquals(Optional.empty(), JapaneseEra.HEISEI.toGregorian(1, 1, 7), "still 昭和");
        assertEquals(Optional.empty(), JapaneseEra.REIWA.toGregorian(1, 4, 30), "still 平成");
        assertEquals(Optional.empty(), JapaneseEra.SHOWA.toGregorian(57, 2, 30));
        assertEquals(Optional.empty(), JapaneseEra.SHOWA.toGregorian(0, 1, 1));
        assertEquals(Optional.empty(), JapaneseEra.SHOWA.toGregorian(57, 13, 1));
    }

    @Test
    void erasAreFoundByKeypadDigitAndByName() {
        assertEquals(Optional.of(JapaneseEra.MEIJI), JapaneseEra.ofDigit(1));
        assertEquals(Optional.of(JapaneseEra.SHOWA), JapaneseEra.ofDigit(3));
        assertEquals(Optional.of(JapaneseEra.REIWA), JapaneseEra.ofDigit(5));
        assertEquals(Optional.empty(), JapaneseEra.ofDigit(6));
        assertEquals(Optional.empty(), JapaneseEra.ofDigit(0));
        assertEquals(Optional.of(JapaneseEra.SHOWA), JapaneseEra.named("昭和"));
        assertEquals(Optional.of(JapaneseEra.HEISEI), JapaneseEra.named("へいせい"));
        assertEquals(Optional.of(JapaneseEra.TAISHO), JapaneseEra.named("Taishō"));
        assertEquals(Optional.empty(), JapaneseEra.named("西暦"));
    }

    @Test
    void aGregorianDateHasItsEraYear() {
        assertEquals(Optional.of(new JapaneseEra.Dated(JapaneseEra.SHOWA, 57)), JapaneseEra.of(LocalDate.of(1982, 9, 12)));
        assertEquals(Optional.of(new JapaneseEra.Dated(JapaneseEra.HEISEI, 1)), JapaneseEra.of(LocalDate.of(1989, 1, 8)));
        assertEquals(Optional.of(new JapaneseEra.Dated(JapaneseEra.SHOWA, 64)), JapaneseEra.of(LocalDate.of(1989, 1, 7)));
        assertEquals(Optional.empty(), JapaneseEra.of(LocalDate.of(1800, 1, 1)));
    }
}
