package madoguchi.domain;

/**
 * A Japanese phone number as SMS needs it (E.164, {@code +81…}), from the ways people write it:
 * {@code 090-1234-5678}, {@code 09012345678}, {@code +81 90 1234 5678}, full-width digits.
 */
public final class PhoneNumber {
    private PhoneNumber() {
    }

    /** The number in E.164, or null when the text is not a phone number. */
    public static String e164(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder digits = new StringBuilder();
        boolean plus = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '０' && c <= '９') {
                c = (char) ('0' + (c - '０'));
            }
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if ((c == '+' || c == '＋') && digits.length() == 0 && !plus) {
                plus = true;
            } else if (c != ' ' && c != '-' && c != '‐' && c != '－' && c != '(' && c != ')' && c != '　') {
                return null;
            }
        }
        String d = digits.toString();
        if (plus) {
            return d.length() >= 8 && d.length() <= 15 ? "+" + d : null;
        }
        return d.length() >= 10 && d.length() <= 11 && d.charAt(0) == '0' ? "+81" + d.substring(1) : null;
    }

    /**
     * The ways a card file may have stored this E.164 number (cards keep the number as imported:
     * {@code +8190…}, {@code 090…} or {@code 8190…}): the number itself and, for a Japanese one,
     * its national and its plus-less forms.
     */
    public static java.util.List<String> storedForms(String e164) {
        if (e164 == null) {
            return java.util.List.of();
        }
        if (e164.startsWith("+81")) {
            String national = e164.substring(3);
            return java.util.List.of(e164, "0" + national, "81" + national);
        }
        return java.util.List.of(e164, e164.substring(1));
    }
}
