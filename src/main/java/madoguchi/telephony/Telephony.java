package madoguchi.telephony;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.twilio.security.RequestValidator;
import io.vertx.core.Future;
import madoguchi.app.calls.CallStates;
import madoguchi.app.reminders.CallbackStore;
import madoguchi.app.sites.Sites;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The phone side of the service: Twilio's webhooks answered from the flow, per-call state kept by
 * CallSid in PostgreSQL with a Caffeine cache in front (so a restarted or another instance goes on
 * with the call at the same step), the operator queue and its callback requests.
 * Without a Twilio account configured it is disabled and the webhooks answer 503.
 */
public final class Telephony {
    private static final Logger LOG = LoggerFactory.getLogger(Telephony.class);
    private static final Set<String> ENDED = Set.of("completed", "busy", "failed", "no-answer", "canceled");

    /** How the phone side is set up. {@code authToken} null = Twilio not configured. */
    /** {@code holdMusicUrl}: what callers hear in the queue between announcements; null = the service's own tone. */
    public record Settings(String authToken, String publicBaseUrl, String voiceJa, String voiceEn, Duration callTtl,
                           String holdMusicUrl, Map<String, String> operatorPhones) {
        @Override
        public String toString() {
            return "Settings[publicBaseUrl=" + publicBaseUrl + ", voiceJa=" + voiceJa + ", voiceEn=" + voiceEn + "]";
        }
    }

    private final Settings settings;
    private final RequestValidator validator;
    private final PhoneFlow engine;
    private final PhoneActions.Needs needs;
    private final Twiml twiml;
    private final CallbackStore callbacks;
    private final IvrMetrics metrics;
    private final Clock clock;
    private final Cache<String, Call> calls;
    private final CallStates states;
    private final CallbackDesk desk;
    private final madoguchi.app.calls.ScreenPops screenPops;
    private final CallbackDesk.Said said;
    private final String base;
    private volatile Flow shipped;
    /** How long a webhook waits for its call's state to be read or kept before going on from memory. */
    static final long STATE_TIMEOUT_MS = 1000;

    public Telephony(Settings settings, Flow flow, Needs needs, CallbackStore callbacks, CallStates states, IvrMetrics metrics) {
        this.settings = settings;
        this.validator = settings.authToken() == null ? null : new RequestValidator(settings.authToken());
        this.needs = needs.inner;
        this.clock = needs.inner.clock();
        String base = settings.publicBaseUrl() == null ? "" : settings.publicBaseUrl().replaceAll("/+$", "");
        this.engine = new PhoneFlow(flow, new PhoneActions(needs.inner, flow), needs.inner.sites(), clock, base,
                needs.inner.walkInHours());
        this.twiml = new Twiml(settings.voiceJa(), settings.voiceEn());
        this.base = base;
        this.said = (lang, prompt) -> {
            String text = flow.prompt(lang, prompt);
            // a flow directory made before these words existed: the shipped ones
            return text != null ? text : shipped().prompt(lang, prompt);
        };
        this.desk = new CallbackDesk(said, twiml, callbacks, metrics, clock, base);
        engine.operators(needs.callCenter, desk, said, needs.ready);
        engine.claims(this::claim);
        this.callbacks = callbacks;
        this.metrics = metrics;
        this.calls = Caffeine.newBuilder().maximumSize(200_000).expireAfterAccess(settings.callTtl()).build();
        this.states = states;
        this.screenPops = new madoguchi.app.calls.ScreenPops(states, needs.inner.cards());
    }

    /** What the phone actions need from the rest of the service (the app package's use cases and stores). */
    public static final class Needs {
        final PhoneActions.Needs inner;
        final madoguchi.app.calls.CallCenter callCenter;
        final java.util.function.Supplier<Future<Void>> ready;

        public Needs(madoguchi.app.cards.CardStore cards, madoguchi.app.booking.BookingStore bookings, madoguchi.app.booking.BookingChanges changes,
                     madoguchi.app.booking.Allocator allocator, Sites sites, madoguchi.app.verification.Verification verification,
                     madoguchi.app.sms.SmsOutbox sms, Clock clock,
                     madoguchi.app.waitlist.Waitlist waitlist, madoguchi.app.counter.WalkInHours walkInHours,
                     madoguchi.app.calls.CallCenter callCenter, java.util.function.Supplier<Future<Void>> ready) {
            this.inner = new PhoneActions.Needs(cards, bookings, changes, allocator, sites, verification, sms, clock, waitlist,
                    walkInHours);
            this.callCenter = callCenter;
            this.ready = ready;
        }
    }

    public boolean enabled() {
        return validator != null;
    }

    public IvrMetrics metrics() {
        return metrics;
    }

    public CallbackStore callbacks() {
        return callbacks;
    }

    /** The URL Twilio signed: PUBLIC_BASE_URL + path and query when set, else the URL as this server saw it. */
    public String signedUrl(String pathAndQuery, String absoluteUri) {
        if (settings.publicBaseUrl() == null) {
            return absoluteUri;
        }
        return settings.publicBaseUrl().replaceAll("/+$", "") + pathAndQuery;
    }

    public boolean verify(String url, Map<String, String> params, String signature) {
        if (validator == null || signature == null || signature.isBlank()) {
            return false;
        }
        return validator.validate(url, params, signature);
    }

    /** The number's Voice URL: a new call (or Twilio retrying its first request). */
    public Future<String> voice(Map<String, String> p) {
        String sid = p.get("CallSid");
        if (sid == null || sid.isBlank()) {
            return Future.succeededFuture(fallback("ja"));
        }
        Call call = calls.get(sid, k -> newCall(k, p));
        return guarded(call, call.answer(0, () -> engine.start(call, false).map(twiml::render).compose(xml -> keep(call, 0, xml))));
    }

    /** A Gather's action: the caller's input for step {@code n}. */
    public Future<String> step(String n, Map<String, String> p) {
        String sid = p.get("CallSid");
        int step;
        try {
            step = Integer.parseInt(n);
        } catch (NumberFormatException | NullPointerException e) {
            step = -1;
        }
        if (sid == null || sid.isBlank()) {
            return Future.succeededFuture(fallback("ja"));
        }
        int at = step;
        Call cached = calls.getIfPresent(sid);
        // not known here, or known only up to an earlier step (another instance took the call further)
        Future<Call> known = cached != null && step <= cached.seq ? Future.succeededFuture(cached) : recall(sid, cached);
        return known.compose(existing -> step(existing, at, sid, p));
    }

    private Future<String> step(Call existing, int step, String sid, Map<String, String> p) {
        if (existing == null || step < 1) {
            // the call's state is gone (it expired, or was never kept): start again, politely
            Call fresh = calls.get(sid, k -> newCall(k, p));
            if (fresh.seq == 0 && step > 0) {
                fresh.seq = step;
            }
            int key = Math.max(step, 0);
            return guarded(fresh, fresh.answer(key, () -> engine.start(fresh, true).map(twiml::render).compose(xml -> keep(fresh, key, xml))));
        }
        if (existing.answered(step)) {
            return guarded(existing, existing.answer(step, () -> Future.succeededFuture(fallback(existing.language))));
        }
        if (step != existing.seq) {
            // not the question the call is at: repeat the last thing said
            Future<String> latest = existing.latest();
            return latest != null ? latest : Future.succeededFuture(fallback(existing.language));
        }
        return guarded(existing, existing.answer(step, () ->
                engine.input(existing, p.get("Digits"), p.get("SpeechResult")).map(twiml::render)
                        .compose(xml -> keep(existing, step, xml))
                        .recover(e -> e instanceof PhoneFlow.StepTaken ? answeredElsewhere(existing, step)
                                : Future.failedFuture(e))));
    }

    /**
     * Claims the step a call is answering before the step's first action, so that Twilio retrying
     * the step on two instances at once runs the action once: the instance whose claim made the
     * step's record acts; the other waits for its answer ({@link #answeredElsewhere}). When the
     * database cannot take the claim the call goes on from memory, as when it cannot keep a step.
     */
    private Future<Void> claim(Call call) {
        return timed("claim", states.claim(call.sid, call.seq, clock.instant()))
                .timeout(STATE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .transform(ar -> {
                    if (ar.failed()) {
                        LOG.warn("a call's step could not be claimed; it goes on from this instance's memory: {}", ar.cause().toString());
                        return Future.succeededFuture();
                    }
                    return ar.result() ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(new PhoneFlow.StepTaken());
                });
    }

    /** How long an answer claimed elsewhere is waited for: that instance's action and its keeping, with a margin. */
    static final long CLAIM_WAIT_MS = PhoneFlow.ACTION_TIMEOUT_MS + 2 * STATE_TIMEOUT_MS;
    private static final long CLAIM_POLL_MS = 20;

    /**
     * Another answer to the same step claimed it (a retry on another instance): this one acts not
     * at all and returns that answer once it is kept; this instance's view of the call is dropped,
     * as the call went on elsewhere. An answer that never comes (its instance stopped mid-step)
     * gives the apology and the operators, never a second action.
     */
    private Future<String> answeredElsewhere(Call call, int step) {
        calls.asMap().remove(call.sid, call);
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLAIM_WAIT_MS);
        return awaitAnswer(context, call, step, until);
    }

    private Future<String> awaitAnswer(io.vertx.core.Context context, Call call, int step, long until) {
        return states.answer(call.sid, step).timeout(STATE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .recover(e -> Future.succeededFuture(java.util.Optional.empty()))
                .compose(kept -> {
                    if (kept.isPresent()) {
                        return Future.succeededFuture(kept.get());
                    }
                    if (context == null || System.nanoTime() > until) {
                        LOG.warn("a step claimed elsewhere got no answer in time; the caller goes to the operators");
                        return Future.succeededFuture(fallback(call.language));
                    }
                    return context.owner().timer(CLAIM_POLL_MS, TimeUnit.MILLISECONDS)
                            .compose(v -> awaitAnswer(context, call, step, until));
                });
    }

    private Call newCall(String sid, Map<String, String> p) {
        Call call = new Call(sid, p.get("From"), engine.flow().defaultLanguage);
        call.startedAt = clock.instant();
        return call;
    }

    /**
     * The call as kept in the database (put in the cache unless the cache knows a later step), or
     * {@code cached} when the database has nothing newer or cannot be read.
     */
    private Future<Call> recall(String sid, Call cached) {
        return timed("load", states.load(sid)).timeout(STATE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .map(saved -> saved.map(s -> calls.asMap().merge(sid, Call.restore(s.state(), s.answers()),
                        (mine, kept) -> mine.seq >= kept.seq ? mine : kept)).orElse(cached))
                .recover(e -> {
                    LOG.warn("a call's state could not be read; going on with what this instance knows: {}", e.toString());
                    return Future.succeededFuture(cached);
                });
    }

    /**
     * Keeps the call's state with the answer to {@code step} before Twilio hears it, so the next
     * step may come to any instance. When another instance kept an answer to the same step first
     * (a retry sent to both), the caller hears that one and this instance reads the call again
     * next time; when the database cannot keep it, the call goes on from memory.
     */
    private Future<String> keep(Call call, int step, String xml) {
        return timed("save", states.save(call.state(), step, xml, clock.instant()))
                .timeout(STATE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .map(kept -> {
                    if (!kept.equals(xml)) {
                        calls.invalidate(call.sid);
                    }
                    return kept;
                })
                .recover(e -> {
                    LOG.warn("a call's state could not be kept; it goes on from this instance's memory: {}", e.toString());
                    return Future.succeededFuture(xml);
                });
    }

    private <T> Future<T> timed(String op, Future<T> pending) {
        long t0 = System.nanoTime();
        return pending.onComplete(ar -> metrics.state(op).record(System.nanoTime() - t0, TimeUnit.NANOSECONDS));
    }

    /** The status callback: a call that ended gives back the seat it held and counts its outcome. */
    public Future<String> status(Map<String, String> p) {
        String status = p.get("CallStatus");
        String sid = p.get("CallSid");
        if (sid == null || status == null || !ENDED.contains(status)) {
            return Future.succeededFuture(twiml.empty());
        }
        Call cached = calls.asMap().remove(sid);
        metrics.queued.remove(sid);
        // the kept state knows the hold even when another instance made it
        return states.load(sid).timeout(STATE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .map(saved -> saved.map(s -> {
                    Call kept = Call.restore(s.state(), Map.of());
                    // this instance's own view wins unless another took the call further; a callback
                    // asked for after the last step (on any instance) is known only to the kept state
                    Call call = cached == null || kept.seq > cached.seq ? kept : cached;
                    if ("callback".equals(kept.outcome)) {
                        call.outcome("callback");
                    }
                    return call;
                }).orElse(cached))
                .recover(e -> Future.succeededFuture(cached))
                .compose(call -> ended(sid, call));
    }

    private Future<String> ended(String sid, Call call) {
        if (call == null) {
            return Future.succeededFuture(twiml.empty());
        }
        String outcome = call.outcome == null ? "abandoned" : call.outcome;
        metrics.call(outcome).increment();
        Future<Void> recorded = states.ended(sid, outcome, clock.instant()).timeout(STATE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .recover(e -> Future.succeededFuture());
        if (call.holdId != null && call.card != null) {
            return recorded.compose(v -> needs.changes().release(call.card, call.holdId)
                    .timeout(PhoneFlow.ACTION_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    // an unreleased hold still ends when its time is up
                    .transform(ar -> Future.succeededFuture(twiml.empty())));
        }
        return recorded.map(v -> twiml.empty());
    }

    /**
     * The queue's wait URL, fetched again each time it has played: the caller's place in line (only
     * when someone is ahead) with the expected wait from Twilio's AvgQueueTime, the offer of a call
     * back, then hold music or the service's soft tone — a key pressed during it is an answer.
     */
    public Future<String> queueWait(String lang, Map<String, String> p) {
        String language = language(lang);
        String sid = p.get("CallSid");
        if (sid != null && metrics.queued.add(sid)) {
            states.queued(sid, clock.instant()).onFailure(e -> LOG.warn("a call's time in the queue is not recorded: {}", e.toString()));
        }
        int position = number(p.get("QueuePosition"), 1);
        int average = number(p.get("AvgQueueTime"), 0);
        List<Reply.Line> lines = new ArrayList<>();
        if (position <= 1) {
            lines.add(new Reply.Line(language, said.text(language, "queue_wait_first")));
        } else {
            lines.add(new Reply.Line(language, said.text(language, "queue_wait_place").replace("{position}", Integer.toString(position))));
            if (average > 0) {
                // the average wait of this queue; at least a minute, rounded up
                int minutes = Math.max(1, (average + 59) / 60);
                lines.add(new Reply.Line(language, said.text(language, "queue_wait_minutes").replace("{minutes}", Integer.toString(minutes))));
            }
            lines.add(new Reply.Line(language, said.text(language, "queue_offer_callback")));
        }
        return Future.succeededFuture(twiml.queueWait(lines, desk.offerUrl(language, "queue"), holdMusic()));
    }

    /** What plays between announcements: MADOGUCHI_HOLD_MUSIC_URL, else the service's own tone. */
    private String holdMusic() {
        return settings.holdMusicUrl() != null ? settings.holdMusicUrl() : base + "/sounds/hold-tone.wav";
    }

    /**
     * A key pressed after an offer of a call back (while waiting, outside the hours, or when the
     * queue could not take the call), and the questions that follow: see {@link CallbackDesk}.
     */
    public Future<String> queueCallback(String lang, Map<String, String> p, String why, String stage, String number, String tries) {
        String language = language(lang);
        String reason = "closed".equals(why) || "queue_failed".equals(why) ? why : "queue";
        String sid = p.get("CallSid");
        return desk.answer(language, reason, stage, number, tries, p).compose(xml -> {
            if (!"time".equals(stage) || sid == null) {
                return Future.succeededFuture(xml);
            }
            Call call = calls.getIfPresent(sid);
            if (call != null) {
                call.outcome("callback");
            }
            metrics.queued.remove(sid);
            // kept with the call, not only in this instance's memory: the status callback may reach another
            return states.outcome(sid, "callback").timeout(STATE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .transform(ar -> {
                        if (ar.failed()) {
                            LOG.warn("a call's callback outcome is not recorded: {}", ar.cause().toString());
                        }
                        return Future.succeededFuture(xml);
                    });
        });
    }

    /**
     * The caller left the queue: Twilio's QueueResult and time in the queue are kept for the calls
     * report. A queue that could not take the caller (full, or an error) is said so, with the offer
     * of a call back — never a silent hang-up.
     */
    public Future<String> queueLeft(String lang, Map<String, String> p) {
        String sid = p.get("CallSid");
        String result = p.getOrDefault("QueueResult", "");
        if (sid != null) {
            metrics.queued.remove(sid);
            if (!result.isEmpty()) {
                states.leftQueue(sid, result.length() > 20 ? result.substring(0, 20) : result, number(p.get("QueueTime"), 0),
                        clock.instant()).onFailure(e -> LOG.warn("a call's time in the queue is not recorded: {}", e.toString()));
            }
        }
        if (Set.of("queue-full", "error", "system-error").contains(result)) {
            String language = language(lang);
            return Future.succeededFuture(twiml.render(offer(language, "queue_failed", "queue_failed")));
        }
        Reply reply = new Reply();
        reply.end = Reply.End.HANGUP;
        return Future.succeededFuture(twiml.render(reply));
    }

    private Reply offer(String language, String prompt, String why) {
        Reply reply = new Reply();
        reply.say(language, said.text(language, prompt));
        reply.say(language, said.text(language, "callback_offer"));
        reply.end = Reply.End.OFFER_CALLBACK;
        reply.url = desk.offerUrl(language, why);
        return reply;
    }

    /**
     * An operator's phone calls the operators' number: a registered phone (MADOGUCHI_OPERATOR_PHONES)
     * is put through to the next caller in the queue with {@code <Dial><Queue url=…>}; the url names
     * the operator, so the service learns who took which call. Any other phone hears a goodbye.
     */
    public Future<String> operatorLine(Map<String, String> p) {
        String operator = p.get("From") == null ? null : settings.operatorPhones().get(p.get("From").trim());
        if (operator == null) {
            return Future.succeededFuture(twiml.goodbye(List.of(new Reply.Line("ja", said.text("ja", "operator_line_unknown")))));
        }
        return Future.succeededFuture(twiml.dialQueue(List.of(new Reply.Line("ja", said.text("ja", "operator_line_welcome"))),
                engine.flow().operatorQueue,
                base + "/twilio/voice/operator/bridge?op=" + java.net.URLEncoder.encode(operator, java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * The Queue's url, fetched for the queued caller just before the bridge: records which operator
     * took the call (their console shows it at once) and tells the caller they are through.
     */
    public Future<String> operatorBridge(String operator, Map<String, String> p) {
        String sid = p.get("CallSid");
        return callersLanguage(sid).compose(lang -> {
            if (sid == null || operator == null || !settings.operatorPhones().containsValue(operator)) {
                return Future.succeededFuture(twiml.say(List.of(new Reply.Line(lang, said.text(lang, "operator_bridged")))));
            }
            metrics.queued.remove(sid);
            return states.bridged(sid, operator, number(p.get("QueueTime"), 0), clock.instant())
                    .timeout(STATE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .onFailure(e -> LOG.warn("which operator took a call is not recorded: {}", e.toString()))
                    .transform(ar -> Future.succeededFuture(twiml.say(List.of(new Reply.Line(lang, said.text(lang, "operator_bridged"))))));
        });
    }

    /** The language a call was going on in: this instance's view, else the kept state, else Japanese. */
    private Future<String> callersLanguage(String sid) {
        Call call = sid == null ? null : calls.getIfPresent(sid);
        if (call != null || sid == null) {
            return Future.succeededFuture(call == null ? "ja" : call.language);
        }
        return states.load(sid).timeout(STATE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .map(saved -> saved.map(s -> language(s.state().language())).orElse("ja"))
                .recover(e -> Future.succeededFuture("ja"));
    }

    /** Forgets the answers kept for the steps of calls quiet for a day (a retry never comes that late). */
    public Future<Integer> forgetOldSteps() {
        return states.forgetSteps(clock.instant().minus(Duration.ofDays(1)));
    }

    /** The calls report for staffing, from the stored call records. */
    public Future<madoguchi.app.calls.CallsReport> callsReport(java.time.LocalDate from, java.time.LocalDate to) {
        return states.report(from, to);
    }

    /** What operators' consoles show as a call is bridged to them. */
    public madoguchi.app.calls.ScreenPops screenPops() {
        return screenPops;
    }

    /** Twilio's fallback URL for the number: the apology and the queue in Japanese, from no state at all. */
    public Future<String> fallbackCall(Map<String, String> p) {
        return Future.succeededFuture(fallback("ja"));
    }

    private static int number(String text, int otherwise) {
        if (text == null || !text.trim().matches("[0-9]{1,6}")) {
            return otherwise;
        }
        return Integer.parseInt(text.trim());
    }

    private Flow shipped() {
        if (shipped == null) {
            shipped = Flow.builtIn();
        }
        return shipped;
    }

    /** The apology and the operator queue, built without the database, for anything unexpected. */
    public String fallback(String lang) {
        Call call = new Call("-", null, language(lang));
        return twiml.render(engine.unavailable(call, new Reply()).result());
    }

    /** Whatever goes wrong, the caller hears an apology and reaches the operators, in their language. */
    private Future<String> guarded(Call call, Future<String> answer) {
        return answer.recover(e -> {
            LOG.error("phone webhook failed; the caller goes to the operators", e);
            return Future.succeededFuture(fallback(call.language));
        });
    }

    private static String language(String lang) {
        return "en".equals(lang) ? "en" : "ja";
    }
}
