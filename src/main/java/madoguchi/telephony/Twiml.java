package madoguchi.telephony;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Enqueue;
import com.twilio.twiml.voice.Queue;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Pause;
import com.twilio.twiml.voice.Play;
import com.twilio.twiml.voice.Redirect;
import com.twilio.twiml.voice.Say;
import com.twilio.twiml.voice.SsmlBreak;
import com.twilio.twiml.voice.SsmlSayAs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.util.List;

/** The one place where replies become TwiML, with twilio-java's builders. */
public final class Twiml {
    private final Say.Voice voiceJa;
    private final Say.Voice voiceEn;

    Twiml(String voiceJa, String voiceEn) {
        this.voiceJa = voice(voiceJa);
        this.voiceEn = voice(voiceEn);
    }

    /** A voice by its TwiML name ("Polly.Mizuki"), or null when Twilio has no such voice. */
    public static Say.Voice voice(String name) {
        for (Say.Voice v : Say.Voice.values()) {
            if (v.toString().equals(name)) {
                return v;
            }
        }
        return null;
    }

    /**
     * twilio-java's toXml makes a new DocumentBuilderFactory and TransformerFactory each time
     * (about 1 ms of event-loop time), so each distinct reply is rendered once with the builders
     * and kept, with its URLs as placeholders filled in afterwards.
     */
    private final Cache<List<Object>, String> rendered = Caffeine.newBuilder().maximumSize(20_000).build();
    private static final String URL_MARK = "urn:madoguchi:url";
    private static final String LEFT_MARK = "urn:madoguchi:left";

    String render(Reply reply) {
        String url = reply.url;
        String left = reply.leftUrl;
        List<Object> key = List.of(reply.end, reply.lines, reply.gather == null ? "" : reply.gather.name(),
                reply.language == null ? "" : reply.language, reply.queue == null ? "" : reply.queue);
        String xml = rendered.get(key, k -> {
            reply.url = url == null ? null : URL_MARK;
            reply.leftUrl = left == null ? null : LEFT_MARK;
            try {
                return build(reply);
            } finally {
                reply.url = url;
                reply.leftUrl = left;
            }
        });
        if (url != null) {
            xml = xml.replace(URL_MARK, escape(url));
        }
        if (left != null) {
            xml = xml.replace(LEFT_MARK, escape(left));
        }
        return xml;
    }

    private static String escape(String url) {
        return url.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private String build(Reply reply) {
        VoiceResponse.Builder out = new VoiceResponse.Builder();
        switch (reply.end) {
            case GATHER: {
                Gather.Builder g = new Gather.Builder()
                        .inputs(List.of(Gather.Input.DTMF, Gather.Input.SPEECH))
                        .action(reply.url).method(HttpMethod.POST)
                        .language("ja".equals(reply.language) ? Gather.Language.JA_JP : Gather.Language.EN_US)
                        .timeout(reply.gather.finishOnKey() != null ? 10 : 6)
                        .speechTimeout("auto")
                        .actionOnEmptyResult(true);
                if (reply.gather.digits() != null) {
                    g.numDigits(reply.gather.digits());
                }
                if (reply.gather.finishOnKey() != null) {
                    g.finishOnKey(reply.gather.finishOnKey());
                }
                String hints = reply.gather.hints(reply.language);
                if (hints != null && !hints.isBlank()) {
                    g.hints(hints);
                }
                reply.lines.forEach(l -> g.say(say(l)));
                out.gather(g.build());
                break;
            }
            case ENQUEUE:
                reply.lines.forEach(l -> out.say(say(l)));
                out.enqueue(new Enqueue.Builder(reply.queue).waitUrl(reply.url).waitUrlMethod(HttpMethod.POST)
                        .action(reply.leftUrl).method(HttpMethod.POST).build());
                break;
            case HANGUP:
                reply.lines.forEach(l -> out.say(say(l)));
                out.hangup(new Hangup.Builder().build());
                break;
            case OFFER_CALLBACK:
                // no answer (actionOnEmptyResult) also goes to the action, which says goodbye
                Gather.Builder offer = new Gather.Builder().inputs(List.of(Gather.Input.DTMF)).numDigits(1).timeout(8)
                        .action(reply.url).method(HttpMethod.POST).actionOnEmptyResult(true);
                reply.lines.forEach(l -> offer.say(say(l)));
                out.gather(offer.build());
                break;
            case REDIRECT:
                reply.lines.forEach(l -> out.say(say(l)));
                out.redirect(new Redirect.Builder(reply.url).method(HttpMethod.POST).build());
                break;
            default:
                reply.lines.forEach(l -> out.say(say(l)));
        }
        return out.build().toXml();
    }

    /**
     * While waiting in the queue: what is said, then the hold music (or tone), inside one Gather so
     * that a key pressed during the music reaches {@code callbackUrl}. Twilio fetches the wait URL
     * again when it ends.
     */
    String queueWait(List<Reply.Line> lines, String callbackUrl, String holdUrl) {
        Gather.Builder g = new Gather.Builder().inputs(List.of(Gather.Input.DTMF)).numDigits(1).timeout(1)
                .action(callbackUrl).method(HttpMethod.POST);
        lines.forEach(l -> g.say(say(l)));
        g.play(new Play.Builder(holdUrl).build());
        return new VoiceResponse.Builder().gather(g.build()).build().toXml();
    }

    /** A question outside the flow (the callback desk's): keys only, then {@code action}. */
    String ask(List<Reply.Line> lines, String action, Integer numDigits, String finishOnKey) {
        Gather.Builder g = new Gather.Builder().inputs(List.of(Gather.Input.DTMF)).timeout(10)
                .action(action).method(HttpMethod.POST).actionOnEmptyResult(true);
        if (numDigits != null) {
            g.numDigits(numDigits);
        }
        if (finishOnKey != null) {
            g.finishOnKey(finishOnKey);
        }
        lines.forEach(l -> g.say(say(l)));
        return new VoiceResponse.Builder().gather(g.build()).build().toXml();
    }

    /** The operator's phone: words, then the next caller of {@code queue}; {@code url} is fetched for the caller before the bridge. */
    String dialQueue(List<Reply.Line> lines, String queue, String url) {
        VoiceResponse.Builder out = new VoiceResponse.Builder();
        lines.forEach(l -> out.say(say(l)));
        Queue q = new Queue.Builder(queue).url(url).method(HttpMethod.POST).build();
        return out.dial(new Dial.Builder().queue(q).build()).build().toXml();
    }

    /** Words only (in a wait URL's action: the caller then goes on waiting). */
    String say(List<Reply.Line> lines) {
        VoiceResponse.Builder out = new VoiceResponse.Builder();
        lines.forEach(l -> out.say(say(l)));
        return out.build().toXml();
    }

    /** Words, then the call ends. */
    String goodbye(List<Reply.Line> lines) {
        VoiceResponse.Builder out = new VoiceResponse.Builder();
        lines.forEach(l -> out.say(say(l)));
        return out.hangup(new Hangup.Builder().build()).build().toXml();
    }

    String empty() {
        return new VoiceResponse.Builder().build().toXml();
    }

    /**
     * One line said; digit groups marked by {@link Spoken#code} become SSML {@code <say-as
     * interpret-as="digits">} each followed by a {@code <break>}, so a code is read 3-3-4 with pauses.
     */
    private Say say(Reply.Line line) {
        boolean ja = "ja".equals(line.language());
        Say.Builder b = new Say.Builder().language(ja ? Say.Language.JA_JP : Say.Language.EN_US).voice(ja ? voiceJa : voiceEn);
        java.util.regex.Matcher m = Spoken.groupsIn(line.text());
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                b.addText(line.text().substring(at, m.start()));
            }
            b.sayAs(new SsmlSayAs.Builder(m.group(1)).interpretAs(SsmlSayAs.InterpretAs.DIGITS).build());
            b.break_(new SsmlBreak.Builder().time(GROUP_PAUSE).build());
            at = m.end();
        }
        if (at < line.text().length()) {
            b.addText(line.text().substring(at));
        }
        return b.build();
    }

    /** The pause after each group of digits read out. */
    static final String GROUP_PAUSE = "300ms";
}
