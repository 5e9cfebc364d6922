package madoguchi.domain;

/** The number printed on the letter that tells a resident the card is ready (交付通知書の番号). */
public final class NoticeNumber {
    private NoticeNumber() {
    }

    /**
     * The digits of a typed notice number: full-width digits (a Japanese input method) become
     * ASCII, spaces (of either width) and dashes of any width are dropped; null unless 6 to 20
     * digits remain.
     */
    public static String normalize(String typed) {
        if (typed == null) {
            return null;
        }
        StringBuilder digits = new StringBuilder(typed.length());
        for (int i = 0; i < typed.length(); i++) {
            char c = typed.charAt(i);
            if (c >= '０' && c <= '９') {
                digits.append((char) ('0' + (c - '０')));
            } else if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (!separator(c)) {
                return null;
            }
        }
        return digits.length() < 6 || digits.length() > 20 ? null : digits.toString();
    }

    /** Spaces and the dashes people type between groups of digits (ASCII, full-width, Japanese long sound). */
    private static boolean separator(char c) {
        return c == ' ' || c == '\u3000' || c == '-' || c == '\u2010' || c == '\u2011' || c == '\u2012' || c == '\u2013'
                || c == '\u2014' || c == '\u2015' || c == '\u2212' || c == '\uFF0D' || c == '\u30FC';
    }
}
