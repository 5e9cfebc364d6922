package madoguchi.telephony;

import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.messaging.Message;
import io.vertx.core.Future;
import madoguchi.app.Words;
import madoguchi.app.booking.BookingChanges;
import madoguchi.app.booking.BookingStore;
import madoguchi.app.booking.CardRef;
import madoguchi.app.cards.CardStore;
import madoguchi.app.reminders.Reminders;
import madoguchi.app.waitlist.Waitlist;
import madoguchi.domain.Decision;
import madoguchi.domain.SmsCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Text messages residents send to the service's number: CANCEL / キャンセル with a booking code
 * (only from the number on the booking's card), STOP / 停止 and START / 開始 for reminders, and a
 * short help text for anything else; YES / はい takes a seat offered from the waitlist (only
 * from the number on the offer's card). Answered with TwiML {@code <Message>}, in English when the
 * text was English, else in Japanese.
 */
public final class SmsReplies {
    private static final Logger LOG = LoggerFactory.getLogger(SmsReplies.class);

    private final CardStore cards;
    private final BookingStore bookings;
    private final BookingChanges changes;
    /** The call center's number, offered to a resident a limit leaves stranded (null: none configured). */
    private final String callCenter;
    private final Reminders reminders;
    private final Waitlist waitlist;

    public SmsReplies(CardStore cards, BookingStore bookings, BookingChanges changes, Reminders reminders, Waitlist waitlist,
                      String callCenter) {
        this.callCenter = callCenter;
        this.cards = cards;
        this.bookings = bookings;
        this.changes = changes;
        this.reminders = reminders;
        this.waitlist = waitlist;
    }

    /** The inbound message webhook's answer (TwiML). */
    public Future<String> reply(Map<String, String> p) {
        SmsCommand command = SmsCommand.parse(p.get("Body"));
        boolean en = command.english();
        String from = SmsCommand.e164(p.get("From"));
        Future<String> text = switch (command.kind()) {
            case STOP -> from == null ? Future.succeededFuture(help(en)) : reminders.optOut(from).map(v -> en
                    ? "You will get no more reminders. Reply START to get them again."
                    : "リマインダーの送信を停止しました。再開するには「開始」と返信してください。");
            case START -> from == null ? Future.succeededFuture(help(en)) : reminders.optIn(from).map(v -> en
                    ? "Reminders are on again. Reply STOP to stop them."
                    : "リマインダーの送信を再開しました。停止するには「停止」と返信してください。");
            case CANCEL -> cancel(command, from);
            case YES -> accept(en, from);
            case HELP -> Future.succeededFuture(help(en));
        };
        return text.timeout(8, TimeUnit.SECONDS).recover(e -> {
            LOG.warn("SMS reply failed: {}", e.toString());
            return Future.succeededFuture(en ? "Sorry, we could not do that now. Please try again later or call us."
                    : "ただいま処理できませんでした。しばらくしてからもう一度お試しいただくか、お電話ください。");
        }).map(SmsReplies::twiml);
    }

    private Future<String> cancel(SmsCommand command, String from) {
        boolean en = command.english();
        // the same answer whether the code is wrong, someone else's, or already cancelled
        String refused = en
                ? "We could not cancel that booking. Check the 10-digit code, and send it from the phone number registered with your card."
                : "キャンセルできませんでした。10桁の予約番号と、カードに登録した電話番号から送信しているかをご確認ください。";
        if (command.code() == null || from == null) {
            return Future.succeededFuture(refused);
        }
        return bookings.byCode(command.code()).compose(b -> {
            if (b.isEmpty() || !"active".equals(b.get().status())) {
                return Future.succeededFuture(refused);
            }
            return cards.byId(b.get().cardId()).compose(card -> {
                if (card.isEmpty() || !from.equals(SmsCommand.e164(card.get().phone()))) {
                    return Future.succeededFuture(refused);
                }
                return changes.cancel(new CardRef(card.get().id(), card.get().siteId()), command.code(),
                        "cancelled by the resident by SMS").map(settled -> !settled.ok() ? refused : en
                        ? "Your booking " + command.code() + " is cancelled."
                        : "予約番号 " + command.code() + " のご予約をキャンセルしました。");
            });
        });
    }

    /** YES: the live waitlist offer to the card with the sender's number becomes its booking. */
    private Future<String> accept(boolean en, String from) {
        // the same answer whether there is no offer or it went to another number
        String none = en ? "We have no seat offer for this phone number. An offer is answered from the number registered with your card."
                : "この電話番号へのご案内中の枠はありません。ご案内はカードに登録した電話番号からご返信ください。";
        if (from == null) {
            return Future.succeededFuture(none);
        }
        return waitlist.acceptByPhone(from).map(answer -> {
            if (answer.problem() == Waitlist.Problem.OFFER_EXPIRED) {
                return en ? "Sorry, the offer has expired and the seat was passed on. You are no longer on the waitlist."
                        : "申し訳ありません。ご案内の期限が過ぎたため、枠は次の方にお回ししました。";
            }
            if (answer.settled() != null && answer.settled().refusal() == madoguchi.domain.Refusal.TOO_MANY_CHANGES) {
                // the same words as the web page and the phone, with the moment and the call center
                return Words.TOO_MANY_CHANGES.textWithNextStep(en ? Words.Language.EN : Words.Language.JA,
                        answer.settled().until(), callCenter);
            }
            if (answer.problem() != null || answer.settled() == null || !answer.settled().ok()) {
                return none;
            }
            Decision d = answer.settled().decision();
            String code = d instanceof Decision.HoldConfirmed ? ((Decision.HoldConfirmed) d).booking().code()
                    : ((Decision.HoldMovedInto) d).to().code();
            return en ? "Booked. Your booking code is " + code + "." + (d instanceof Decision.HoldMovedInto
                    ? " Your earlier booking was moved to this time." : "")
                    : "ご予約を承りました。予約番号は " + code + " です。" + (d instanceof Decision.HoldMovedInto
                    ? "これまでのご予約はこの日時に変更しました。" : "");
        });
    }

    private static String help(boolean en) {
        return en ? "To cancel a booking reply CANCEL and the 10-digit code. STOP stops reminders, START turns them on."
                + " YES takes a seat offered from the waitlist."
                : "予約のキャンセルは「キャンセル 予約番号(10桁)」、リマインダーの停止は「停止」、再開は「開始」と返信してください。"
                + "キャンセル待ちでご案内した枠は「はい」でお受けできます。";
    }

    static String twiml(String text) {
        return new MessagingResponse.Builder().message(new Message.Builder(text).build()).build().toXml();
    }

    /** An empty answer (status callbacks want none). */
    public static String empty() {
        return new MessagingResponse.Builder().build().toXml();
    }
}
