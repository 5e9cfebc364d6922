package madoguchi.telephony;

import madoguchi.domain.JapaneseEra;

import java.text.Normalizer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a caller typed or said, made comparable: keys pressed, numbers spoken (「に いち ぜろ」,
 * 「21億6000万22」, "two one zero"), dates said (「昭和57年9月12日」, "1st January 1940") and the
 * choice a spoken answer stands for (the more specific words win; two different answers at once are
 * ambiguous, not guessed).
 */
final class Speech {
    private static final Map<String, String> WORDS = Map.ofEntries(
            Map.entry("zero", "0"), Map.entry("oh", "0"), Map.entry("o", "0"), Map.entry("one", "1"), Map.entry("two", "2"),
            Map.entry("to", "2"), Map.entry("too", "2"), Map.entry("three", "3"), Map.entry("four", "4"), Map.entry("for", "4"),
            Map.entry("five", "5"), Map.entry("six", "6"), Map.entry("seven", "7"), Map.entry("eight", "8"), Map.entry("nine", "9"));
    /** Digits said in kana, longest first so that 「きゅう」 is not read as 「く」. */
    private static final List<Map.Entry<String, String>> KANA = List.of(
            Map.entry("きゅう", "9"), Map.entry("ぜろ", "0"), Map.entry("れい", "0"), Map.entry("まる", "0"),
            Map.entry("いち", "1"), Map.entry("さん", "3"), Map.entry("よん", "4"), Map.entry("ろく", "6"),
            Map.entry("なな", "7"), Map.entry("しち", "7"), Map.entry("はち", "8"), Map.entry("きゅー", "9"),
            Map.entry("にー", "2"), Map.entry("ごー", "5"), Map.entry("に", "2"), Map.entry("し", "4"), Map.entry("ご", "5"),
            Map.entry("く", "9"));
    private static final String KANJI = "〇一二三四五六七八九";
    private static final String UNITS = "十百千万億兆";
    /** What comes after a number said as a choice: 「1番」, 「いちばん」, "number one", "press 2". */
    private static final Pattern NUMBER_WORDS = Pattern.compile("番目[でを]?|番[でを]?|ばんめ[でを]?|ばん[でを]?|number|press|the|key|を押します|です");
    /** Polite words that say nothing about the choice ("お願いします" alone is taken as yes where the flow says so). */
    private static final List<String> FILLERS = List.of("お願いいたします", "おねがいします", "お願いします", "お願い", "ください",
            "下さい", "したいです", "したいんですが", "したい", "です", "please", "i would like to", "i d like to", "id like to",
            "i want to", "i wanna", "i need to");
    private static final Set<String> REPEAT = Set.of("repeat", "again", "say again", "say that again", "repeat please",
            "もう一度", "もういちど", "もう1度", "もう一回", "もう1回", "もういっかい", "繰り返し", "くりかえし", "もう一度お願いします");
    private static final Set<String> BACK = Set.of("back", "go back", "previous", "戻る", "もどる", "戻って", "前に戻る", "まえにもどる", "戻りたい");
    private static final Pattern ERA_DATE = Pattern.compile(
            "(明治|大正|昭和|平成|令和|めいじ|たいしょう|しょうわ|へいせい|れいわ|meiji|taisho|showa|heisei|reiwa)\\s*(\\d{1,2}|元|がん)\\s*(?:年|ねん)?\\s*(\\d{1,2})\\s*(?:月|がつ)\\s*(\\d{1,2})\\s*(?:日|にち)?");
    private static final Pattern JA_DATE = Pattern.compile("(\\d{4})\\s*年\\s*(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*日?");
    private static final String MONTH = "(january|february|march|april|may|june|july|august|september|october|november|december"
            + "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)";
    private static final Pattern EN_MONTH_FIRST = Pattern.compile(MONTH + "\\s+(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\s+(\\d{4})");
    private static final Pattern EN_DAY_FIRST = Pattern.compile("(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?" + MONTH + "\\s+(\\d{4})");
    /** 01/01/1940, 1-2-1940, 1.2.1940 (the separators survive normalization as spaces: "01 01 1940"). */
    private static final Pattern NUMERIC_DMY = Pattern.compile("^(\\d{1,2})\\s+(\\d{1,2})\\s+(\\d{4})$");
    private static final Pattern NUMERIC_YMD = Pattern.compile("^(\\d{4})\\s+(\\d{1,2})\\s+(\\d{1,2})$");
    private static final Pattern MMDD_JA = Pattern.compile("(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*日?");
    private static final Pattern EN_ORDINAL_DAY = Pattern.compile("(\\d{1,2})(?:st|nd|rd|th)?");

    private Speech() {
    }

    /** Lower case, full-width folded, without spaces and punctuation: how choices are compared. */
    static String normalize(String text) {
        if (text == null) {
            return "";
        }
        String t = hiragana(Normalizer.normalize(text, Normalizer.Form.NFKC)).toLowerCase(Locale.ROOT).trim();
        return t.replaceAll("[\\s\\p{Punct}、。！？・「」]+", " ").trim();
    }

    /** Katakana folded to hiragana (a recogniser writes 「イチ」 or 「いち」), except the long sound mark. */
    private static String hiragana(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            out.append(c >= 'ァ' && c <= 'ヶ' ? (char) (c - 0x60) : c);
        }
        return out.toString();
    }

    /**
     * The digits in keys pressed or in a spoken number: "two one zero", 「に いち ぜろ」, "２１０",
     * 「二一〇」, and numbers said with units, 「21億6000万22」 → 2160000022.
     */
    static String digits(String text) {
        String t = normalize(text);
        StringBuilder out = new StringBuilder();
        for (String word : t.split(" ")) {
            String w = WORDS.get(word);
            if (w != null) {
                out.append(w);
                continue;
            }
            String kana = kanaDigits(word);
            if (kana != null) {
                out.append(kana);
                continue;
            }
            out.append(numerals(word));
        }
        return out.toString();
    }

    /** A word made only of digits said in kana (「にいちぜろ」), else null. */
    private static String kanaDigits(String word) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        outer:
        while (i < word.length()) {
            for (Map.Entry<String, String> k : KANA) {
                if (word.startsWith(k.getKey(), i)) {
                    out.append(k.getValue());
                    i += k.getKey().length();
                    continue outer;
                }
            }
            return null;
        }
        return out.length() == 0 ? null : out.toString();
    }

    /** The runs of numerals in a word: digits one by one, or the value of a number with units (十百千万億兆). */
    private static String numerals(String word) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < word.length()) {
            int j = i;
            boolean units = false;
            while (j < word.length() && numeral(word.charAt(j))) {
                units |= UNITS.indexOf(word.charAt(j)) >= 0;
                j++;
            }
            if (j == i) {
                i++;
                continue;
            }
            String run = word.substring(i, j);
            out.append(units ? withUnits(run) : plainDigits(run));
            i = j;
        }
        return out.toString();
    }

    private static boolean numeral(char c) {
        return (c >= '0' && c <= '9') || KANJI.indexOf(c) >= 0 || UNITS.indexOf(c) >= 0;
    }

    private static int digit(char c) {
        return c >= '0' && c <= '9' ? c - '0' : KANJI.indexOf(c);
    }

    private static String plainDigits(String run) {
        StringBuilder out = new StringBuilder();
        for (char c : run.toCharArray()) {
            out.append((char) ('0' + digit(c)));
        }
        return out.toString();
    }

    /** 「21億6000万22」 → "2160000022", 「五十七」 → "57", 「十二」 → "12". */
    private static String withUnits(String run) {
        long total = 0;
        long section = 0;
        long current = 0;
        for (char c : run.toCharArray()) {
            int unit = UNITS.indexOf(c);
            if (unit < 0) {
                current = current * 10 + digit(c);
            } else if (unit <= 2) {
                section += (current == 0 ? 1 : current) * (long) Math.pow(10, unit + 1);
                current = 0;
            } else {
                section += current;
                total += (section == 0 ? 1 : section) * (long) Math.pow(10, 4 * (unit - 2));
                section = 0;
                current = 0;
            }
        }
        return Long.toString(total + section + current);
    }

    /** Numbers with units inside a text replaced by their digits, other words kept: 「昭和五十七年九月十二日」 → 「昭和57年9月12日」. */
    private static String arabic(String text) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int j = i;
            while (j < text.length() && numeral(text.charAt(j))) {
                j++;
            }
            if (j == i) {
                out.append(text.charAt(i));
                i++;
                continue;
            }
            out.append(numerals(text.substring(i, j)));
            i = j;
        }
        return out.toString();
    }

    /** True when every word is a digit or a number word ("one", "2", 「いち」, 「1番」), so "I want to book" is not "2". */
    static boolean numberOnly(String normalized) {
        String t = NUMBER_WORDS.matcher(normalized).replaceAll(" ").trim();
        if (t.isEmpty()) {
            return false;
        }
        for (String word : t.split("\\s+")) {
            if (!WORDS.containsKey(word) && kanaDigits(word) == null
                    && !word.chars().allMatch(c -> (c >= '0' && c <= '9') || KANJI.indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A birth date keyed or said, as YYYYMMDD (not checked against a calendar unless it came as an
     * era date), else the digits as they came. Keys: 8 digits YYYYMMDD, or 7 digits: the era
     * (1 明治 … 5 令和) then YYMMDD. Speech: 「昭和57年9月12日」, 「1980年1月1日」, "January 1st 1980",
     * "1st January 1980", "01/01/1980" (month first, as an en-US recogniser writes dates, unless the
     * first number cannot be a month: "13/01/1980" is the 13th of January), or digits said.
     */
    static String birth(String keys, String speech) {
        if (keys != null && !keys.isEmpty()) {
            return eraKeys(keys);
        }
        String said = arabic(Normalizer.normalize(speech == null ? "" : speech, Normalizer.Form.NFKC)).replace(" ", "");
        Matcher era = ERA_DATE.matcher(hiragana(said).toLowerCase(Locale.ROOT));
        if (era.find()) {
            Optional<JapaneseEra> e = JapaneseEra.named(era.group(1));
            int year = era.group(2).matches("\\d+") ? Integer.parseInt(era.group(2)) : 1;
            return e.flatMap(x -> x.toGregorian(year, Integer.parseInt(era.group(3)), Integer.parseInt(era.group(4))))
                    .map(Speech::yyyymmdd).orElse("");
        }
        Matcher ja = JA_DATE.matcher(said);
        if (ja.find()) {
            return String.format("%s%02d%02d", ja.group(1), Integer.parseInt(ja.group(2)), Integer.parseInt(ja.group(3)));
        }
        String t = normalize(speech);
        Matcher en = EN_MONTH_FIRST.matcher(t);
        if (en.find()) {
            return String.format("%s%02d%02d", en.group(3), month(en.group(1)), Integer.parseInt(en.group(2)));
        }
        en = EN_DAY_FIRST.matcher(t);
        if (en.find()) {
            return String.format("%s%02d%02d", en.group(3), month(en.group(2)), Integer.parseInt(en.group(1)));
        }
        Matcher ymd = NUMERIC_YMD.matcher(t);
        if (ymd.find()) {
            return String.format("%s%02d%02d", ymd.group(1), Integer.parseInt(ymd.group(2)), Integer.parseInt(ymd.group(3)));
        }
        Matcher dmy = NUMERIC_DMY.matcher(t);
        if (dmy.find()) {
            int a = Integer.parseInt(dmy.group(1));
            int b = Integer.parseInt(dmy.group(2));
            int month = a > 12 ? b : a;
            int day = a > 12 ? a : b;
            return String.format("%s%02d%02d", dmy.group(3), month, day);
        }
        return eraKeys(digits(speech));
    }

    /** Seven digits starting with an era digit are an era date (3 570912 → 1982-09-12); anything else stays as it is. */
    private static String eraKeys(String keys) {
        if (keys.length() != 7 || !keys.chars().allMatch(Character::isDigit)) {
            return keys;
        }
        return JapaneseEra.ofDigit(keys.charAt(0) - '0')
                .flatMap(e -> e.toGregorian(Integer.parseInt(keys.substring(1, 3)), Integer.parseInt(keys.substring(3, 5)),
                        Integer.parseInt(keys.substring(5, 7))))
                .map(Speech::yyyymmdd).orElse("");
    }

    private static String yyyymmdd(LocalDate d) {
        return String.format("%04d%02d%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }

    private static int month(String name) {
        List<String> months = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
        return months.indexOf(name.substring(0, 3)) + 1;
    }

    /**
     * A day asked for, as MMDD, with an optional part of the day after it (1 morning, 2 afternoon,
     * 3 evening): keys "1207" or "12072"; speech 「12月7日の午後」, "December 7th in the afternoon",
     * "7th December". Else the digits as they came.
     */
    static String day(String keys, String speech) {
        if (keys != null && !keys.isEmpty()) {
            return keys;
        }
        String said = arabic(Normalizer.normalize(speech == null ? "" : speech, Normalizer.Form.NFKC)).replace(" ", "");
        String part = partOfDay(speech);
        Matcher ja = MMDD_JA.matcher(said);
        if (ja.find()) {
            return String.format("%02d%02d", Integer.parseInt(ja.group(1)), Integer.parseInt(ja.group(2))) + (part == null ? "" : part);
        }
        String t = normalize(speech);
        Matcher en = Pattern.compile(MONTH + "\\s+(?:the\\s+)?" + EN_ORDINAL_DAY.pattern()).matcher(t);
        if (en.find()) {
            return String.format("%02d%02d", month(en.group(1)), Integer.parseInt(en.group(2))) + (part == null ? "" : part);
        }
        en = Pattern.compile("(?:the\\s+)?" + EN_ORDINAL_DAY.pattern() + "\\s+(?:of\\s+)?" + MONTH).matcher(t);
        if (en.find()) {
            return String.format("%02d%02d", month(en.group(2)), Integer.parseInt(en.group(1))) + (part == null ? "" : part);
        }
        return digits(speech);
    }

    /** The part of the day said: "1" morning (午前), "2" afternoon (午後), "3" evening (夕方), else null. */
    static String partOfDay(String speech) {
        String t = normalize(speech);
        if (t.contains("午前") || t.contains("ごぜん") || t.contains("朝") || t.contains("morning")) {
            return "1";
        }
        if (t.contains("夕方") || t.contains("ゆうがた") || t.contains("夜") || t.contains("evening")) {
            return "3";
        }
        if (t.contains("午後") || t.contains("ごご") || t.contains("昼") || t.contains("afternoon")) {
            return "2";
        }
        return null;
    }

    /** The caller asked to hear the question again ("repeat", 「もう一度お願いします」). */
    static boolean repeat(String speech) {
        String t = normalize(speech);
        return REPEAT.contains(t) || REPEAT.contains(unfilled(t));
    }

    /** The caller asked to go back one step ("back", 「戻る」). */
    static boolean back(String speech) {
        String t = normalize(speech);
        return BACK.contains(t) || BACK.contains(unfilled(t));
    }

    /** Without polite words: 「予約を変更したいです」 → 「予約を変更」. */
    private static String unfilled(String normalized) {
        String t = " " + normalized + " ";
        for (String f : FILLERS) {
            t = f.matches("[a-z ]+") ? t.replace(" " + f + " ", " ") : t.replace(f, " ");
        }
        return t.replaceAll("\\s+", " ").trim();
    }

    /** What a caller's answer at a question with choices stands for: a choice, an ambiguous answer, or nothing understood. */
    record Match(String target, boolean ambiguous) {
        static final Match NONE = new Match(null, false);
        static final Match AMBIGUOUS = new Match(null, true);
    }

    /** The choice a caller's input stands for: a key, a spoken number, or a word the choice lists. */
    static String choose(Map<String, String> choices, String digits, String speech) {
        return match(choices, digits, speech).target();
    }

    /**
     * A key pressed is that key. Speech: the whole answer when it is a choice (with or without
     * polite words: 「お願いします」 alone can be a choice), a number said (「いち」, 「1番」,
     * "number one"), else the choices whose words were said: a match inside a longer match does
     * not count (「予約の確認」 is not 「予約」), and when what is left points at two different
     * choices the answer is ambiguous.
     */
    static Match match(Map<String, String> choices, String digits, String speech) {
        if (digits != null && !digits.isEmpty()) {
            String c = choices.get(digits);
            return c == null ? Match.NONE : new Match(c, false);
        }
        String said = normalize(speech);
        if (said.isEmpty()) {
            return Match.NONE;
        }
        String plain = unfilled(said);
        for (String s : List.of(said, plain, said.replace(" ", ""), plain.replace(" ", ""))) {
            if (!s.isEmpty() && choices.containsKey(s)) {
                return new Match(choices.get(s), false);
            }
        }
        String spokenDigit = numberOnly(said) ? digits(NUMBER_WORDS.matcher(said).replaceAll(" "))
                : numberOnly(plain) ? digits(NUMBER_WORDS.matcher(plain).replaceAll(" ")) : "";
        if (spokenDigit.length() == 1) {
            String c = choices.get(spokenDigit);
            return c == null ? Match.NONE : new Match(c, false);
        }
        String text = " " + plain + " ";
        List<int[]> spans = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (Map.Entry<String, String> c : choices.entrySet()) {
            String key = c.getKey();
            if (key.chars().allMatch(Character::isDigit)) {
                continue;
            }
            boolean latin = key.matches("[a-z ]+");
            String needle = latin ? " " + key + " " : key;
            int at = text.indexOf(needle);
            while (at >= 0) {
                int start = latin ? at + 1 : at;
                spans.add(new int[]{start, start + key.length()});
                targets.add(c.getValue());
                at = text.indexOf(needle, at + 1);
            }
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (int i = 0; i < spans.size(); i++) {
            int[] s = spans.get(i);
            boolean inside = false;
            for (int j = 0; j < spans.size() && !inside; j++) {
                int[] o = spans.get(j);
                inside = j != i && o[0] <= s[0] && s[1] <= o[1] && (o[1] - o[0]) > (s[1] - s[0]);
            }
            if (!inside) {
                chosen.add(targets.get(i));
            }
        }
        if (chosen.size() == 1) {
            return new Match(chosen.iterator().next(), false);
        }
        return chosen.isEmpty() ? Match.NONE : Match.AMBIGUOUS;
    }
}
