package madoguchi.domain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Notice numbers as people type them, and phone numbers as card files store them. */
class NoticeNumberTest {
    @Test
    void fullWidthDigitsSpacesAndDashesOfAnyWidthBecomeTheDigits() {
        assertEquals("2100000001", NoticeNumber.normalize("２１０００００００１"));
        assertEquals("2100000001", NoticeNumber.normalize("2100 0000 01"));
        assertEquals("2100000001", NoticeNumber.normalize("２１００　００００－０１"));
        assertEquals("2100000001", NoticeNumber.normalize("2100-0000‐01"));
        assertEquals("2100000001", NoticeNumber.normalize("2100ー0000ー01"));
        assertEquals("123456", NoticeNumber.normalize("123456"));
    }

    @Test
    void anythingElseIsNotANoticeNumber() {
        assertNull(NoticeNumber.normalize(null));
        assertNull(NoticeNumber.normalize("12345"));
        assertNull(NoticeNumber.normalize("１２３４５"));
        assertNull(NoticeNumber.normalize("123456789012345678901"));
        assertNull(NoticeNumber.normalize("21000x0001"));
        assertNull(NoticeNumber.normalize("٢١٠٠٠٠٠٠٠١")); // Arabic-Indic digits are not what the letter prints
        assertNull(NoticeNumber.normalize("2100000001\t"));
    }

    @Test
    void aJapaneseNumberIsLookedUpInEachFormACardFileMayHoldIt() {
        assertEquals("+818000193084", PhoneNumber.e164("080-0019-3084"));
        assertEquals(List.of("+818000193084", "08000193084", "818000193084"), PhoneNumber.storedForms("+818000193084"));
        assertEquals(List.of("+4915112345678", "4915112345678"), PhoneNumber.storedForms("+4915112345678"));
        assertEquals(List.of(), PhoneNumber.storedForms(null));
    }
}
