package madoguchi.domain;

/** The number printed on the letter that tells a resident the card is ready (交付通知書の番号). */
public final class NoticeNumber {
    private NoticeNumber() {
    }

    /** Strips spaces and dashes; null unless 6 to 20 digits remain. */
    public static String normalize(String typed) {
        if (typed == null) {
            return null;
        }
        String digits = typed.replace(" ", "").replace("-", "");
        if (digits.length() < 6 || digits.length() > 20 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return digits;
    }
}
