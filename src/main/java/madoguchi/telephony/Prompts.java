package madoguchi.telephony;

import madoguchi.app.counter.WalkInHours;
import madoguchi.app.sites.Sites;
import madoguchi.domain.Site;

import java.time.Clock;

/**
 * Fills a prompt's {placeholders} from the call: {site}, {slot}, {code}, {until}, {position},
 * {notice} and {birth} (what the caller keyed, read back), {day} (the day the caller asked for),
 * {told}: the words of app/Words for a lock or a limit, with its moment spoken (date and time), and
 * {walkIn}: a sentence naming the next open walk-in site and its hours (nothing when none is open
 * this week).
 */
final class Prompts {
    private Prompts() {
    }

    static String fill(String text, Call call, Sites sites, Clock clock, boolean spoken, WalkInHours walkInHours) {
        String lang = call.language;
        String out = text;
        if (out.contains("{walkIn}")) {
            out = out.replace("{walkIn}", walkIn(walkInHours, lang)).strip();
        }
        if (out.contains("{site}")) {
            Site site = call.card == null ? null : sites.get(call.card.siteId());
            out = out.replace("{site}", site == null ? "" : "ja".equals(lang) ? site.nameJa() : site.nameEn());
        }
        if (out.contains("{slot}")) {
            out = out.replace("{slot}", call.slotStart == null ? "" : Spoken.dateTime(call.slotStart, lang));
        }
        if (out.contains("{code}")) {
            String code = call.code == null ? "" : call.code;
            out = out.replace("{code}", spoken ? Spoken.code(code, lang) : code);
        }
        if (out.contains("{told}")) {
            madoguchi.app.Words.Language language = madoguchi.app.Words.Language.of(lang);
            out = out.replace("{told}", call.told == null ? "" : madoguchi.app.Words.fill(call.told.template(language), language,
                    call.lockedUntil == null ? "" : Spoken.dateTime(call.lockedUntil, lang), null, null));
        }
        if (out.contains("{notice}")) {
            String notice = call.vars.getOrDefault("notice", "");
            out = out.replace("{notice}", spoken ? Spoken.code(notice, lang) : notice);
        }
        if (out.contains("{birth}")) {
            out = out.replace("{birth}", date(call.vars.get("birth")).map(d -> Spoken.date(d, lang, true)).orElse(""));
        }
        if (out.contains("{day}")) {
            out = out.replace("{day}", date(call.vars.get("askedDay")).map(d -> Spoken.day(d, lang)).orElse(""));
        }
        if (out.contains("{until}")) {
            out = out.replace("{until}", call.lockedUntil == null ? "" : Spoken.time(call.lockedUntil, lang));
        }
        return out;
    }

    private static java.util.Optional<java.time.LocalDate> date(String yyyymmdd) {
        try {
            return java.util.Optional.of(java.time.LocalDate.parse(yyyymmdd, java.time.format.DateTimeFormatter.BASIC_ISO_DATE));
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** The first walk-in site open this week, its next open day and hours, in the caller's language. */
    private static String walkIn(WalkInHours hours, String lang) {
        if (hours == null) {
            return "";
        }
        for (WalkInHours.Hours h : hours.all()) {
            WalkInHours.Open next = h.days().get(0);
            madoguchi.app.Words.Language language = madoguchi.app.Words.Language.of(lang);
            return madoguchi.app.Words.WALK_IN_SPOKEN.template(language)
                    .replace("{name}", "ja".equals(lang) ? h.site().nameJa() : h.site().nameEn())
                    .replace("{opens}", Spoken.dateTime(next.opens(), lang)).replace("{closes}", Spoken.time(next.closes(), lang));
        }
        return "";
    }
}
