package madoguchi.telephony;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Say;
import io.vertx.core.Future;
import madoguchi.app.booking.BookingChanges;
import madoguchi.app.booking.CardRef;
import madoguchi.app.reminders.ReminderCallStore;
import madoguchi.app.reminders.ReminderCalls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the reminder call says and does once the resident picks up: it reads the booking in
 * Japanese (9 switches to English and back), then 1 keeps it and 2 cancels it through the booking
 * desk (the seat is free at once); no key repeats the message once, then the call ends. Every URL
 * carries the booking and the job's token, so a signed request can act only on the booking its
 * call was made for. Prompts come from the phone flow's prompt files (reminder_call_*).
 */
public final class ReminderCall {
    private static final Logger LOG = LoggerFactory.getLogger(ReminderCall.class);
    static final List<String> PROMPTS = List.of("reminder_call_read", "reminder_call_choice", "reminder_call_switch",
            "reminder_call_kept", "reminder_call_cancelled", "reminder_call_already_cancelled", "reminder_call_cancel_failed",
            "reminder_call_invalid", "reminder_call_goodbye", "goodbye");
    private static final long CANCEL_TIMEOUT_MS = 5_000;

    private final ReminderCalls calls;
    private final BookingChanges changes;
    private final Map<String, Map<String, String>> texts = new LinkedHashMap<>();
    private final Say.Voice voiceJa;
    private final Say.Voice voiceEn;
    private final String base;

    public ReminderCall(ReminderCalls calls, BookingChanges changes, Flow flow, String voiceJa, String voiceEn, String publicBaseUrl) {
        this.calls = calls;
        this.changes = changes;
        this.voiceJa = Twiml.voice(voiceJa);
        this.voiceEn = Twiml.voice(voiceEn);
        this.base = publicBaseUrl == null ? "" : publicBaseUrl.replaceAll("/+$", "");
        Flow builtIn = null;
        for (String lang : Flow.LANGUAGES) {
            Map<String, String> t = new LinkedHashMap<>();
            for (String id : PROMPTS) {
                String text = flow.prompt(lang, id);
                if (text == null) {
                    // a flow directory made before reminder calls existed: the shipped words
                    builtIn = builtIn == null ? Flow.builtIn() : builtIn;
                    text = builtIn.prompt(lang, id);
                }
                t.put(id, text);
            }
            texts.put(lang, t);
        }
    }

    /** The call's URL: the resident picked up. */
    public Future<String> answer(String booking, String token, Map<String, String> p) {
        long id = id(booking);
        return calls.job(id, token).compose(job -> {
            if (job.isEmpty()) {
                return Future.succeededFuture(hangUp("ja", "goodbye", null));
            }
            return calls.answered(id, p.get("CallSid")).map(x -> {
                ReminderCallStore.Job j = job.get();
                if (!"active".equals(j.bookingStatus())) {
                    return hangUp("ja", ended(j), j);
                }
                return read("ja", j, 1, null);
            });
        });
    }

    /** The key pressed after the message ({@code lang}: the language it was read in, {@code round}: 1 or 2). */
    public Future<String> choice(String booking, String token, String lang, String round, Map<String, String> p) {
        long id = id(booking);
        String language = "en".equals(lang) ? "en" : "ja";
        int n = "2".equals(round) ? 2 : 1;
        String digits = p.get("Digits") == null ? "" : p.get("Digits").trim();
        return calls.job(id, token).compose(found -> {
            if (found.isEmpty()) {
                return Future.succeededFuture(hangUp(language, "goodbye", null));
            }
            ReminderCallStore.Job job = found.get();
            if (!"active".equals(job.bookingStatus())) {
                return Future.succeededFuture(hangUp(language, ended(job), job));
            }
            switch (digits) {
                case "1":
                    return calls.kept(id).map(x -> hangUp(language, "reminder_call_kept", job));
                case "2":
                    return cancel(language, job);
                case "9":
                    return Future.succeededFuture(read("en".equals(language) ? "ja" : "en", job, n, null));
                default:
                    if (n == 1) {
                        return Future.succeededFuture(read(language, job, 2, "reminder_call_invalid"));
                    }
                    return Future.succeededFuture(hangUp(language, "reminder_call_goodbye", job));
            }
        });
    }

    /** Twilio's status callback for the call: an unanswered call is tried again later. */
    public Future<String> status(String booking, String token, Map<String, String> p) {
        return calls.reported(id(booking), token, p.get("CallSid"), p.get("CallStatus"))
                .map(x -> empty());
    }

    private Future<String> cancel(String language, ReminderCallStore.Job job) {
        return changes.cancel(new CardRef(job.cardId(), job.siteId()), job.code(), "cancelled by the resident on the reminder call")
                .timeout(CANCEL_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .compose(settled -> {
                    if (settled.ok()) {
                        return calls.cancelled(job.bookingId()).map(x -> hangUp(language, "reminder_call_cancelled", job));
                    }
                    // a retried request, or a cancellation by another channel a moment ago
                    return calls.job(job.bookingId(), job.token()).map(now -> now.isPresent()
                            && "cancelled".equals(now.get().bookingStatus())
                            ? hangUp(language, "reminder_call_already_cancelled", job)
                            : hangUp(language, "reminder_call_cancel_failed", job));
                })
                .recover(e -> {
                    LOG.warn("reminder call: booking {} could not be cancelled: {}", job.bookingId(), e.toString());
                    return Future.succeededFuture(hangUp(language, "reminder_call_cancel_failed", job));
                });
    }

    private static String ended(ReminderCallStore.Job job) {
        return "cancelled".equals(job.bookingStatus()) ? "reminder_call_already_cancelled" : "goodbye";
    }

    /** The booking read out, then the choice and the offer of the other language, in one Gather. */
    private String read(String language, ReminderCallStore.Job job, int round, String before) {
        String other = "ja".equals(language) ? "en" : "ja";
        String action = TwilioCalls.url(base, "/choice", job.bookingId(), job.token()) + "&lang=" + language + "&round=" + round;
        Gather.Builder g = new Gather.Builder().inputs(List.of(Gather.Input.DTMF)).numDigits(1).timeout(8)
                .action(action).method(HttpMethod.POST).actionOnEmptyResult(true);
        List<String> lines = new ArrayList<>();
        if (before != null) {
            lines.add(text(language, before, job));
        }
        lines.add(text(language, "reminder_call_read", job));
        lines.add(text(language, "reminder_call_choice", job));
        lines.forEach(l -> g.say(say(language, l)));
        g.say(say(other, text(other, "reminder_call_switch", job)));
        return new VoiceResponse.Builder().gather(g.build()).build().toXml();
    }

    private String hangUp(String language, String prompt, ReminderCallStore.Job job) {
        return new VoiceResponse.Builder().say(say(language, text(language, prompt, job)))
                .hangup(new Hangup.Builder().build()).build().toXml();
    }

    /** The words of a prompt as configured (unfilled). */
    String prompt(String language, String id) {
        return texts.get(language).get(id);
    }

    private String text(String language, String prompt, ReminderCallStore.Job job) {
        String out = prompt(language, prompt);
        if (job != null) {
            out = out.replace("{site}", "ja".equals(language) ? job.siteNameJa() : job.siteNameEn())
                    .replace("{slot}", Spoken.dateTime(job.start(), language));
        }
        return out;
    }

    private Say say(String language, String text) {
        boolean ja = "ja".equals(language);
        return new Say.Builder(text).language(ja ? Say.Language.JA_JP : Say.Language.EN_US).voice(ja ? voiceJa : voiceEn).build();
    }

    static String empty() {
        return new VoiceResponse.Builder().build().toXml();
    }

    private static long id(String booking) {
        try {
            return booking == null ? -1 : Long.parseLong(booking);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
