package madoguchi.app;

import madoguchi.domain.Refusal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * What the service says of an outcome, in Japanese and English: one catalog for every channel,
 * so that the page, the API's {@code message}, the phone and SMS tell a person the same thing.
 * A text may name {@code {until}} (a moment, written by the channel: on the phone it is spoken),
 * {@code {callCenter}} (the call center's number, or the words "the call center" when none is
 * configured) and {@code {field}} (the input that was wrong).
 */
public enum Words {
    SLOT_FULL("slot_full",
            "この時間帯は満席です。別の時間帯をお選びください。",
            "This time slot has no seats left. Please choose another."),
    SLOT_BLOCKED("slot_blocked",
            "この時間帯は予約を受け付けていません。",
            "This time slot is not open for booking."),
    SLOT_NOT_BOOKABLE("slot_not_bookable",
            "この時間帯は予約できません（直前・過去・受付期間外）。",
            "This time slot cannot be booked (too soon, in the past or beyond the booking horizon)."),
    WRONG_SITE("wrong_site",
            "カードは別の窓口でお渡しします。その窓口の時間帯をお選びください。",
            "The card is kept at another site; book a slot there."),
    ALREADY_BOOKED("already_booked",
            "このカードはすでに予約があります。変更または取り消しをしてください。",
            "This card already has a booking; cancel or reschedule it instead."),
    CARD_NOT_READY("card_not_ready",
            "このカードはまだお渡しの準備ができていません。",
            "This card is not ready to be picked up."),
    HOLD_EXPIRED("hold_expired",
            "お取りしていた席は時間切れで解放されました。もう一度お選びください。",
            "The seat was held for too long and has been released. Please choose again."),
    NOT_FOUND("not_found",
            "該当する予約・時間帯が見つかりません。",
            "No such booking, hold or slot."),
    BUSY("busy",
            "ただいま混み合っています。少し待ってからもう一度お試しください。",
            "The service is busy; please retry shortly."),
    UNAVAILABLE("unavailable",
            "ただいまシステムを利用できません。少し待ってからもう一度お試しください。",
            "The service cannot reach its database; please retry shortly."),
    UNRECORDABLE("unrecordable",
            "入力に記録できない文字や値が含まれているため、何も変更していません。内容を直してお試しください。",
            "The request holds a character or value that cannot be recorded, so nothing was changed. Please correct it and try again."),
    TOO_MANY_CHANGES("too_many_changes",
            "本日はこの予約の変更回数が上限に達しました。{until}以降に変更できます。それまでは取り消しのみできます。",
            "This booking has been changed too many times today. You can change it again after {until}; until then it can only be cancelled."),
    VERIFICATION_FAILED("verification_failed",
            "通知書番号と生年月日が一致するカードがありません。",
            "The notice number and birth date do not match a card."),
    LOCKED_NOTICE("too_many_attempts",
            "この通知書番号での確認に失敗が続いたため、{until}までこの番号での確認を止めています。",
            "Too many failed checks for this notice number: checks for it are paused until {until}."),
    LOCKED_CALLER("too_many_attempts",
            "この電話番号からの確認に失敗が続いたため、{until}までこの電話番号からの確認を止めています。",
            "Too many failed checks from this phone number: checks from it are paused until {until}."),
    LOCKED_ADDRESS("too_many_attempts",
            "この端末からの確認が多すぎるため、{until}まで確認を止めています。",
            "Too many checks from this device: they are paused until {until}."),
    LOCKED_SERVICE("too_many_attempts",
            "確認の失敗が全体で急増しているため、{until}まで確認を止めています。",
            "Failed checks are surging across the service, so checks are paused until {until}."),
    /** The next step offered on the web to a person a lock or a limit left stranded (the phone puts them through). */
    CALL_CENTER("call_center",
            "お急ぎの場合は{callCenter}にお電話ください。オペレーターがご本人確認のうえ予約をお取りします。",
            "If it is urgent, please call {callCenter}: an operator will check who you are and book for you."),
    IDEMPOTENCY_KEY_REUSED("idempotency_key_reused",
            "この Idempotency-Key は別の依頼に使われています。新しい依頼には新しいキーをお使いください。",
            "This Idempotency-Key was used for a different request."),
    NOT_RECORDED("not_recorded",
            "操作を記録できなかったため、何も変更していません。もう一度お試しください。",
            "The change could not be recorded in the audit log, so nothing was changed. Please try again."),
    OUTSIDE_WINDOW("outside_window",
            "日付は受付期間内（明日から予約できる最終日まで）でお選びください。",
            "The dates must be within the booking window (from tomorrow up to the booking horizon)."),
    NOT_EARLIER("not_earlier",
            "今の予約の日より前から始まる日付をお選びください。",
            "The dates must start no later than the day of your current booking."),
    OFFER_PENDING("offer_pending",
            "いま席をご案内中です。受けるか、キャンセル待ちをやめてください。",
            "A seat is being offered to you now: accept it or leave the waitlist first."),
    NOT_WAITING("not_found",
            "このカードはキャンセル待ちに登録されていません。",
            "This card is not on the waitlist."),
    NO_OFFER("no_offer",
            "いまご案内中の席はありません。",
            "No seat is being offered to this card now."),
    OFFER_EXPIRED("offer_expired",
            "ご案内の期限が過ぎたため、席は次の方にご案内しました。",
            "The offer has expired and the seat was passed on."),
    REASON_REQUIRED("reason_required",
            "定員超過での予約には理由が必要です（監査ログに残ります）。",
            "An override needs a reason; it is kept in the audit log."),
    STEP_DONE("step_done",
            "この手順は記録済みです。",
            "This step is recorded already."),
    STEP_OUT_OF_ORDER("step_out_of_order",
            "前の手順がまだです（来庁→本人確認→暗証番号→返納→交付の順です）。",
            "The step before this one is not done yet (arrived, identity checked, PINs, returned, issued)."),
    NO_BOOKING_TODAY("no_booking_today",
            "このカードには本日の予約も、呼び出し済みの番号札もありません。",
            "This card has no booking today and no ticket that was called."),
    NO_VISIT("no_visit",
            "本日の来庁がまだ記録されていません。先に「来庁」を記録してください。",
            "The resident's arrival today is not recorded yet; record the arrival first."),
    IDENTITY_INSUFFICIENT("identity_insufficient",
            "本人確認書類が足りません。交付通知書と、A書類1点またはB書類2点が必要です（代理人は委任状、来庁できない理由を証する書類、代理人の顔写真付き書類も）。",
            "Not enough documents: the notice and one type A or two type B documents (a proxy also brings the letter of attorney, a document showing why the resident cannot come, and their own photo ID)."),
    UNKNOWN_DOCUMENT("unknown_document",
            "書類の種類「{field}」は使えません。",
            "'{field}' is not a kind of document the counter accepts."),
    ALREADY_WAITING("already_waiting",
            "このカードは本日すでに番号札 {field} 番で待っています。",
            "This card is already waiting today with ticket number {field}."),
    NOT_WALK_IN("not_walk_in",
            "この会場は予約制です。番号札はお出ししていません。",
            "This site works by appointment; it gives out no tickets."),
    SITE_CLOSED("site_closed",
            "本日この会場は開いていません。",
            "This site is not open today."),
    TICKETS_GONE("tickets_gone",
            "本日の番号札の配布は終了しました。",
            "Today's tickets are all given out."),
    TICKET_NEAR("ticket_near",
            "【川崎市】番号札 {number} 番の方：まもなくお呼びします（あと{ahead}人）。受付の近くでお待ちください。",
            "[Kawasaki City] Ticket {number}: your turn is near ({ahead} before you). Please wait near the counters."),
    TICKET_CALLED("ticket_called",
            "【川崎市】番号札 {number} 番の方、{counter}番窓口へお越しください。",
            "[Kawasaki City] Ticket {number}: please come to counter {counter} now."),
    /** The phone menu's mention of a walk-in site ({opens}: the next open day and time, {closes}: the time). */
    WALK_IN_SPOKEN("walk_in",
            "なお、予約なしで受け取れる窓口もあります。{name}で、{opens}から{closes}まで受け付けています。カードがその窓口に届いている方が対象です。",
            "A walk-in counter also serves without a booking: {name}, open {opens} until {closes}, for cards kept there."),
    /** The SMS confirming a booking made on the web ({when}: the day and time, {site}: the site, {code}: the booking code). */
    SMS_WEB_BOOKED("sms_booked",
            "【川崎市】マイナンバーカード受取のご予約を承りました: {when} {site}。予約番号 {code}。変更・取消はウェブか{callCenter}へ。",
            "[Kawasaki City] Your My Number Card pick-up is booked: {when} at {site}. Booking code {code}. To change or cancel, use the web or call {callCenter}."),
    /** Added to a booking's confirmation sent at night for the next day: it is also the reminder (none follows at 08:00). */
    SMS_REMINDER_INCLUDED("sms_reminder_included",
            "明日のご予約です。このメッセージがリマインダーを兼ねます（別途のお知らせはありません）。",
            "That is tomorrow: this message is also your reminder (no other will follow)."),
    SMS_WEB_MOVED("sms_moved",
            "【川崎市】マイナンバーカード受取のご予約を変更しました: {when} {site}。予約番号 {code}（変わりません）。",
            "[Kawasaki City] Your My Number Card pick-up was moved to {when} at {site}. Booking code {code} (unchanged)."),
    SMS_WEB_CANCELLED("sms_cancelled",
            "【川崎市】マイナンバーカード受取のご予約（予約番号 {code}、{when} {site}）を取り消しました。",
            "[Kawasaki City] Your My Number Card pick-up booking {code} ({when} at {site}) is cancelled."),
    /** The calendar entry of a booking (the .ics file and the calendar link). */
    CALENDAR_SUMMARY("calendar_summary",
            "マイナンバーカードの受け取り（{site}）",
            "My Number Card pick-up ({site})"),
    CALENDAR_DESCRIPTION("calendar_description",
            "予約番号 {code}。交付通知書（はがき）、本人確認書類、通知カード・住基カード（お持ちの方）をお持ちください。変更・取消はウェブか{callCenter}へ。",
            "Booking code {code}. Bring the notice (postcard), your ID documents, and your notification card or Juki card if you have one. To change or cancel, use the web or call {callCenter}."),
    /** Under every resident page: whom to call, and when ({hours}; left out when not configured). */
    CALL_CENTER_FOOTER("call_center_footer",
            "お問い合わせ: コールセンター {number}",
            "Questions? Call center: {number}"),
    CALL_CENTER_HOURS("call_center_hours",
            "受付時間 {hours}",
            "open {hours} (Japan time)"),
    INVALID_INPUT("invalid_request",
            "入力「{field}」を確かめてください。",
            "Please check the input '{field}'.");

    /** The language a text is wanted in; Japanese unless English was asked for. */
    public enum Language {
        JA, EN;

        /** "en", "en-US", "EN" are English; anything else (or nothing) is Japanese, the city's language. */
        public static Language of(String tag) {
            return tag != null && tag.trim().toLowerCase(Locale.ROOT).startsWith("en") ? EN : JA;
        }

        public String tag() {
            return this == EN ? "en" : "ja";
        }
    }

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final String[] WEEKDAYS_JA = {"月", "火", "水", "木", "金", "土", "日"};

    private final String code;
    private final String ja;
    private final String en;

    Words(String code, String ja, String en) {
        this.code = code;
        this.ja = ja;
        this.en = en;
    }

    /** The machine-readable code of the HTTP contract (several texts may share one). */
    public String code() {
        return code;
    }

    /** The text with its placeholders as they are. */
    public String template(Language language) {
        return language == Language.EN ? en : ja;
    }

    /** The text for the web and SMS: {until} as a date and time in Japan, {callCenter} as configured. */
    public String text(Language language, Instant until, String callCenter) {
        return fill(template(language), language, until == null ? "" : when(until, language), callCenter, null);
    }

    /** The text followed by the next step for a person it leaves stranded: call the call center. */
    public String textWithNextStep(Language language, Instant until, String callCenter) {
        return text(language, until, callCenter) + (language == Language.EN ? " " : "") + CALL_CENTER.text(language, null, callCenter);
    }

    /** The text of a wrong input, naming the field. */
    public String text(Language language, String field) {
        return fill(template(language), language, "", null, field);
    }

    /** The text with named placeholders ({@code {when}}, {@code {site}}, {@code {code}}, …) filled, {callCenter} as configured. */
    public String filled(Language language, String callCenter, java.util.Map<String, String> values) {
        String out = fill(template(language), language, "", callCenter, null);
        for (var e : values.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", e.getValue() == null ? "" : e.getValue());
        }
        return out;
    }

    /** Fills the placeholders with what the channel wrote ({@code until} already in its words). */
    public static String fill(String template, Language language, String until, String callCenter, String field) {
        String center = callCenter == null || callCenter.isBlank()
                ? (language == Language.EN ? "the call center" : "コールセンター")
                : (language == Language.EN ? "the call center (" + callCenter + ")" : "コールセンター（" + callCenter + "）");
        return template.replace("{until}", until == null ? "" : until)
                .replace("{callCenter}", center)
                .replace("{field}", field == null ? "" : field);
    }

    /** A moment as a person in Japan reads it: 「12月3日(木) 14:05」, "Thu 3 Dec 14:05 (Japan time)". */
    public static String when(Instant at, Language language) {
        ZonedDateTime t = at.atZone(TOKYO);
        String hm = String.format(Locale.ROOT, "%02d:%02d", t.getHour(), t.getMinute());
        if (language == Language.EN) {
            String day = t.getDayOfWeek().getDisplayName(java.time.format.TextStyle.SHORT, Locale.ENGLISH);
            String month = t.getMonth().getDisplayName(java.time.format.TextStyle.SHORT, Locale.ENGLISH);
            return day + " " + t.getDayOfMonth() + " " + month + " " + hm + " (Japan time)";
        }
        return t.getMonthValue() + "月" + t.getDayOfMonth() + "日(" + WEEKDAYS_JA[t.getDayOfWeek().getValue() - 1] + ") " + hm;
    }

    /** The words of a lock: what it locks (every channel tells it the same way). */
    public static Words of(madoguchi.app.verification.Verification.Lock lock) {
        return switch (lock) {
            case NOTICE -> LOCKED_NOTICE;
            case CALLER -> LOCKED_CALLER;
            case ADDRESS -> LOCKED_ADDRESS;
            case SERVICE -> LOCKED_SERVICE;
        };
    }

    /** The words of an allocator refusal. */
    public static Words of(Refusal refusal) {
        return valueOf(refusal.name());
    }
}
