package madoguchi.telephony;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a caller typed or said, made comparable: keys pressed, numbers spoken, dates said. */
final class Speech {
    private static final Map<String, String> WORDS = Map.ofEntries(
            Map.entry("zero", "0"), Map.entry("oh", "0"), Map.entry("o", "0"), Map.entry("one", "1"), Map.entry("two", "2"),
            Map.entry("to", "2"), Map.entry("too", "2"), Map.entry("three", "3"), Map.entry("four", "4"), Map.entry("for", "4"),
            Map.entry("five", "5"), Map.entry("six", "6"), Map.entry("seven", "7"), Map.entry("eight", "8"), Map.entry("nine", "9"));
    private static final String KANJI = "〇一二三四五六七八九";
    private static final Pattern JA_DATE = Pattern.compile("(\\d{4})年(\\d{1,2})月(\\d{1,2})日");
    private static final Pattern EN_DATE = Pattern.compile(
            "(january|february|march|april|may|june|july|august|september|october|november|december)\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})");
    private static final java.util.List<String> MONTHS = java.util.List.of("january", "february", "march", "april", "may",
            "june", "july", "august", "september", "october", "november", "december");

    private Speech() {
    }

    /** Lower case, full-width folded, without spaces and punctuation: how choices are compared. */
    static String normalize(String text) {
        if (text == null) {
            return "";
        }
        String t = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).trim();
        return t.replaceAll("[\\s\\p{Punct}、。！？・「」]+", " ").trim();
    }

    /** The digits in keys pressed or in a spoken number ("two one zero", "２１０", "二一〇"). */
    static String digits(String text) {
        String t = normalize(text);
        StringBuilder out = new StringBuilder();
        for (String word : t.split(" ")) {
            String w = WORDS.get(word);
            if (w != null) {
                out.append(w);
                continue;
            }
            for (char c : word.toCharArray()) {
                if (c >= '0' && c <= '9') {
                    out.append(c);
                } else if (KANJI.indexOf(c) >= 0) {
                    out.append((char) ('0' + KANJI.indexOf(c)));
                }
            }
        }
        return out.toString();
    }

    /** True when every word is a digit or a number word ("one", "2"), so "I want to book" is not "2". */
    static boolean numberOnly(String normalized) {
        for (String word : normalized.split(" ")) {
            if (!WORDS.containsKey(word) && !word.chars().allMatch(c -> (c >= '0' && c <= '9') || KANJI.indexOf(c) >= 0)) {
                return false;
            }
        }
        return !normalized.isEmpty();
    }

    /** A date said as a date ("1980年1月1日", "January 1st, 1980") as YYYYMMDD, else the digits. */
    static String dateDigits(String text) {
        String t = normalize(text).replace(" ", "");
        Matcher ja = JA_DATE.matcher(Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFKC).replace(" ", ""));
        if (ja.find()) {
            return String.format("%s%02d%02d", ja.group(1), Integer.parseInt(ja.group(2)), Integer.parseInt(ja.group(3)));
        }
        Matcher en = EN_DATE.matcher(normalize(text));
        if (en.find()) {
            return String.format("%s%02d%02d", en.group(3), MONTHS.indexOf(en.group(1)) + 1, Integer.parseInt(en.group(2)));
        }
        return digits(t);
    }

    /** The choice a caller's input stands for: a key, a spoken number, or a word the choice lists. */
    static String choose(Map<String, String> choices, String digits, String speech) {
        if (digits != null && !digits.isEmpty()) {
            return choices.get(digits);
        }
        String said = normalize(speech);
        if (said.isEmpty()) {
            return null;
        }
        String exact = choices.get(said);
        if (exact != null) {
            return exact;
        }
        String spokenDigit = numberOnly(said) ? digits(said) : "";
        if (spokenDigit.length() == 1 && choices.containsKey(spokenDigit)) {
            return choices.get(spokenDigit);
        }
        // the longest word that the caller said wins ("another day" over "day")
        String best = null;
        int length = 0;
        for (Map.Entry<String, String> c : choices.entrySet()) {
            String key = c.getKey();
            if (key.length() > 1 && key.length() > length && (" " + said + " ").contains(key.matches("[a-z ]+") ? " " + key + " " : key)) {
                best = c.getValue();
                length = key.length();
            }
        }
        return best;
    }
}
