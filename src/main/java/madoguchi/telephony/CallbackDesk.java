package madoguchi.telephony;

import io.vertx.core.Future;
import madoguchi.app.reminders.CallbackStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A caller asks to be called back: from the queue (key 1 while waiting), outside the call center's
 * hours, or when the queue could not take the call. A caller whose number is withheld keys in a
 * number to call, hears it read back and confirms it — nobody is promised a call to "this number"
 * that no one can see. Every caller then chooses a time of day (morning / afternoon / any).
 *
 * <p>Each answer is one request to {@code /twilio/voice/queue/callback}: {@code why} (queue,
 * closed, queue_failed), {@code stage} (offer, number, confirm, time) and the number keyed in so
 * far are in the URL, which Twilio signs, so any instance can take the next key.
 */
final class CallbackDesk {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackDesk.class);
    /**
     * What Twilio sends as From when the caller withholds their number: "anonymous" and the
     * numbers Twilio uses for ANONYMOUS, RESTRICTED, BLOCKED, UNAVAILABLE and UNKNOWN.
     */
    private static final Set<String> WITHHELD = Set.of("", "anonymous", "+266696687", "restricted", "unknown", "private",
            "+7378742833", "+2562533", "+86282452253", "+8656696");
    private static final int MAX_TRIES = 3;

    /** The words of a prompt in a language (the flow's, else the shipped ones). */
    interface Said {
        String text(String lang, String prompt);
    }

    private final Said said;
    private final Twiml twiml;
    private final CallbackStore callbacks;
    private final IvrMetrics metrics;
    private final Clock clock;
    private final String base;

    CallbackDesk(Said said, Twiml twiml, CallbackStore callbacks, IvrMetrics metrics, Clock clock, String base) {
        this.said = said;
        this.twiml = twiml;
        this.callbacks = callbacks;
        this.metrics = metrics;
        this.clock = clock;
        this.base = base;
    }

    /** Whether Twilio's From is no number one could call back. */
    static boolean withheld(String from) {
        return from == null || WITHHELD.contains(from.trim().toLowerCase(java.util.Locale.ROOT))
                || !from.trim().matches("\\+?[0-9]{6,15}");
    }

    /** Where the caller's answer to the offer goes. */
    String offerUrl(String lang, String why) {
        return base + "/twilio/voice/queue/callback?lang=" + lang + "&why=" + why;
    }

    /** An answer at {@code stage}; {@code onDecline} is what a caller waiting in the queue hears on any other key. */
    Future<String> answer(String lang, String why, String stage, String number, String tries, Map<String, String> p) {
        String keys = p.get("Digits") == null ? "" : p.get("Digits").replace("#", "").replace("*", "").trim();
        String sid = p.get("CallSid");
        String from = p.get("From");
        int tried = tries == null || !tries.matches("[0-9]{1,2}") ? 0 : Integer.parseInt(tries);
        switch (stage == null ? "offer" : stage) {
            case "number":
                if (keys.matches("0[0-9]{9,10}")) {
                    return done(ask(lang, why, "confirm", keys, 0, 1, null,
                            said.text(lang, "callback_number_readback").replace("{number}", digits(keys, lang))));
                }
                return askNumber(lang, why, tried + 1, true);
            case "confirm":
                if ("1".equals(keys)) {
                    return done(askTime(lang, why, number));
                }
                if ("2".equals(keys)) {
                    return askNumber(lang, why, 0, false);
                }
                if (number == null || !number.matches("0[0-9]{9,10}") || tried + 1 >= MAX_TRIES) {
                    return askNumber(lang, why, tried + 1, false);
                }
                return done(ask(lang, why, "confirm", number, tried + 1, 1, null,
                        said.text(lang, "callback_number_readback").replace("{number}", digits(number, lang))));
            case "time":
                String preferred = switch (keys) {
                    case "1" -> "morning";
                    case "2" -> "afternoon";
                    default -> "any";
                };
                return record(lang, why, sid, number, from, preferred);
            default:
                if (!"1".equals(keys)) {
                    // waiting callers go on waiting; the others hear goodbye
                    return done("queue".equals(why) ? twiml.empty() : twiml.goodbye(lines(lang, "callback_declined")));
                }
                if (withheld(from)) {
                    return askNumber(lang, why, 0, false);
                }
                return done(askTime(lang, why, null));
        }
    }

    private Future<String> askNumber(String lang, String why, int tried, boolean invalid) {
        if (tried >= MAX_TRIES) {
            return done("queue".equals(why) ? twiml.empty() : twiml.goodbye(lines(lang, "callback_declined")));
        }
        String ask = said.text(lang, "callback_ask_number");
        return done(ask(lang, why, "number", null, tried, null, "#",
                invalid ? said.text(lang, "callback_number_invalid") + " " + ask : ask));
    }

    private String askTime(String lang, String why, String number) {
        return ask(lang, why, "time", number, 0, 1, null, said.text(lang, "callback_ask_time"));
    }

    private String ask(String lang, String why, String stage, String number, int tried, Integer numDigits, String finishOnKey,
                       String words) {
        String url = offerUrl(lang, why) + "&stage=" + stage + "&try=" + tried
                + (number == null ? "" : "&number=" + URLEncoder.encode(number, StandardCharsets.UTF_8));
        return twiml.ask(List.of(new Reply.Line(lang, words)), url, numDigits, finishOnKey);
    }

    private Future<String> record(String lang, String why, String sid, String number, String from, String preferred) {
        boolean keyed = number != null && number.matches("0[0-9]{9,10}");
        if (!keyed && withheld(from) || sid == null) {
            // no number to call: ask for one (a request forged without it cannot get here signed)
            return askNumber(lang, why, 0, false);
        }
        String phone = keyed ? "+81" + number.substring(1) : from.trim();
        String reason = "closed".equals(why) ? "closed" : "queue_failed".equals(why) ? "queue_failed" : "queue";
        return callbacks.add(sid, phone, lang, preferred, reason, clock.instant())
                .timeout(PhoneFlow.ACTION_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .transform(ar -> {
                    if (ar.failed()) {
                        LOG.warn("callback request could not be stored: {}", ar.cause().toString());
                        return done("queue".equals(why) ? twiml.say(lines(lang, "callback_failed"))
                                : twiml.goodbye(lines(lang, "callback_failed_closed")));
                    }
                    metrics.callbackRequested();
                    String when = said.text(lang, "callback_when_" + preferred);
                    String words = keyed
                            ? said.text(lang, "callback_recorded_to").replace("{number}", digits(number, lang)).replace("{when}", when)
                            : said.text(lang, "callback_recorded_here").replace("{when}", when);
                    return done(twiml.goodbye(List.of(new Reply.Line(lang, words))));
                });
    }

    private List<Reply.Line> lines(String lang, String prompt) {
        return List.of(new Reply.Line(lang, said.text(lang, prompt)));
    }

    /** A number read back digit by digit: 「0、4、4、…」 / "0, 4, 4, ...". */
    static String digits(String number, String lang) {
        return String.join("ja".equals(lang) ? "、" : ", ", number.split(""));
    }

    private static Future<String> done(String xml) {
        return Future.succeededFuture(xml);
    }
}
