package madoguchi.domain;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a resident's text message asks for: {@code CANCEL <code>} / {@code キャンセル <code>},
 * {@code STOP} / {@code 停止}, {@code START} / {@code 開始}, {@code YES} / {@code はい} (take the seat
 * offered from the waitlist), or anything else (help). Full-width
 * letters, digits and spaces are read as their ordinary forms.
 */
public record SmsCommand(Kind kind, String code, boolean english) {

    public enum Kind { CANCEL, STOP, START, YES, HELP }

    private static final Pattern CANCEL = Pattern.compile("^(CANCEL|キャンセル|取消|取り消し)[\\s:：]*([0-9][0-9\\s-]*)?$");

    public static SmsCommand parse(String text) {
        String t = Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFKC)
                .replace('\u3000', ' ').trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
        boolean english = !t.isEmpty() && t.chars().allMatch(c -> c < 128);
        switch (t) {
            case "STOP": case "STOPALL": case "UNSUBSCRIBE": case "停止": case "配信停止":
                return new SmsCommand(Kind.STOP, null, english);
            case "START": case "UNSTOP": case "開始": case "配信再開": case "再開":
                return new SmsCommand(Kind.START, null, english);
            case "YES": case "Y": case "はい": case "ハイ": case "ﾊｲ": case "はい。": case "YES.": case "YES!":
                return new SmsCommand(Kind.YES, null, english);
            default:
                break;
        }
        Matcher m = CANCEL.matcher(t);
        if (m.matches()) {
            String code = m.group(2) == null ? null : BookingCode.normalize(m.group(2).replaceAll("\\s", ""));
            return new SmsCommand(Kind.CANCEL, code, m.group(1).equals("CANCEL"));
        }
        return new SmsCommand(Kind.HELP, null, english);
    }

    /**
     * A Japanese number in E.164 form: "090-1234-5678" and "+81 90 1234 5678" both give
     * "+819012345678"; null when it is not a phone number at all.
     */
    public static String e164(String phone) {
        if (phone == null) {
            return null;
        }
        String p = Normalizer.normalize(phone, Normalizer.Form.NFKC).replaceAll("[\\s()-]", "");
        if (p.matches("0[1-9][0-9]{7,9}")) {
            return "+81" + p.substring(1);
        }
        if (p.matches("\\+[1-9][0-9]{6,14}")) {
            return p;
        }
        if (p.matches("81[1-9][0-9]{8,9}")) {
            return "+" + p;
        }
        return null;
    }

    /** A number that can receive text messages (a Japanese mobile, or a foreign number). */
    public static boolean mobile(String e164) {
        return e164 != null && (!e164.startsWith("+81") || e164.matches("\\+81[789]0[0-9]{8}"));
    }
}
