package madoguchi.telephony;

import io.vertx.core.Future;
import madoguchi.app.calls.CallPath;
import madoguchi.app.counter.WalkInHours;
import madoguchi.app.sites.Sites;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the flow: from a state, says what the states say and runs their actions until the caller
 * must answer (a gather), is put through to operators (enqueue) or the call ends (hangup).
 */
final class PhoneFlow {
    private static final Logger LOG = LoggerFactory.getLogger(PhoneFlow.class);
    /** Actions that take longer than this count as an outage: callers are never left in silence. */
    static final long ACTION_TIMEOUT_MS = 1500;
    private static final int MAX_HOPS = 60;

    /** Runs a flow's action and answers its outcome: {@link PhoneActions}, or a script in unit tests. */
    interface Actions {
        Future<String> run(Flow.State state, Call call);
    }

    private final Flow flow;
    private final Actions actions;
    private final Sites sites;
    private final Clock clock;
    private final String base;
    /** The walk-in sites' hours for the {walkIn} words; null where no site is walk-in (unit tests). */
    private final WalkInHours walkInHours;
    /** Sends the booking's SMS when a booking completes late (null in unit tests with scripted actions). */
    private PhoneActions sms;
    /** When operators answer, and how a caller outside those hours is offered a call back; null = always (unit tests). */
    private madoguchi.app.calls.CallCenter callCenter;
    private CallbackDesk desk;
    private CallbackDesk.Said said;
    /** Whether the database answers, asked before the caller keys in their numbers; null = not asked (unit tests). */
    private java.util.function.Supplier<Future<Void>> ready;

    PhoneFlow(Flow flow, PhoneActions actions, Sites sites, Clock clock, String base, WalkInHours walkInHours) {
        this(flow, (Actions) actions::run, sites, clock, base, walkInHours);
        this.sms = actions;
    }

    PhoneFlow(Flow flow, Actions actions, Sites sites, Clock clock, String base) {
        this(flow, actions, sites, clock, base, null);
    }

    PhoneFlow(Flow flow, Actions actions, Sites sites, Clock clock, String base, WalkInHours walkInHours) {
        this.flow = flow;
        this.actions = actions;
        this.sites = sites;
        this.clock = clock;
        this.base = base;
        this.walkInHours = walkInHours;
    }

    Flow flow() {
        return flow;
    }

    /**
     * Claims the step a call is answering before its first action runs (a hold, a booking, a
     * cancellation, an SMS…): fails with {@link StepTaken} when another answer to the same step
     * (Twilio's retry on another instance) claimed it first, so that the action runs at most once.
     */
    interface Claims {
        Future<Void> claim(Call call);
    }

    /** The step was claimed by another answer to it (on this instance or another). */
    static final class StepTaken extends RuntimeException {
        StepTaken() {
            super("the step is answered elsewhere", null, false, false);
        }
    }

    private Claims claims;

    void claims(Claims claims) {
        this.claims = claims;
    }

    /** The operators' hours, the callback desk for callers outside them, and the database's readiness. */
    void operators(madoguchi.app.calls.CallCenter callCenter, CallbackDesk desk, CallbackDesk.Said said,
                   java.util.function.Supplier<Future<Void>> ready) {
        this.callCenter = callCenter;
        this.desk = desk;
        this.said = said;
        this.ready = ready;
    }

    /** The first answer of a call; {@code lost} apologises first (the call's state was lost). */
    Future<Reply> start(Call call, boolean lost) {
        Reply reply = new Reply();
        if (lost) {
            say(reply, call, "lost");
        }
        return run(call, flow.initial, reply, 0);
    }

    /**
     * The caller answered the gather they were asked. {@code *} goes back one question and {@code 9}
     * (where it is not a choice) or "repeat" says the question again; neither counts as a failure,
     * nor does an ambiguous answer, which gets a short question back.
     */
    Future<Reply> input(Call call, String digits, String speech) {
        Flow.State at = flow.state(call.awaiting);
        Reply reply = new Reply();
        if (at == null) {
            return start(call, true);
        }
        String pressed = digits == null ? "" : digits.trim();
        if (pressed.contains("*") || (pressed.isEmpty() && Speech.back(speech))) {
            return back(call, at, reply);
        }
        String keys = pressed.replace("#", "");
        boolean empty = keys.isEmpty() && (speech == null || speech.isBlank());
        String next;
        if (empty && at.silence() != null) {
            return run(call, at.silence(), reply, 0);
        }
        if (at.choices() != null) {
            Flow.State dayAsked = keys.isEmpty() && !empty ? askingDay(at) : null;
            String day = dayAsked == null ? "" : Speech.day("", speech);
            if (dayAsked != null && dayAsked.pattern().matcher(day).matches()) {
                // a day said at a question that leads to the day's question ("December 4th in the morning"): answered ahead
                call.vars.put(dayAsked.save(), day);
                return run(call, dayAsked.next(), reply, 0);
            }
            Speech.Match m = empty ? Speech.Match.NONE : Speech.match(at.choices(), keys, speech);
            if (m.ambiguous()) {
                return ask(call, at, reply);
            }
            next = m.target();
            Flow.State ahead = next == null || !keys.isEmpty() ? null : flow.state(next);
            if (ahead != null && "gather".equals(ahead.type()) && "part".equals(ahead.save())) {
                // answered ahead: 「午後でお願いします」 at the offer is the question after it, answered
                String part = String.valueOf(Speech.partOfDay(speech));
                if (ahead.pattern().matcher(part).matches()) {
                    call.vars.put(ahead.save(), part);
                    return run(call, ahead.next(), reply, 0);
                }
            }
            if (next == null && ("9".equals(keys) || (keys.isEmpty() && Speech.repeat(speech)))) {
                return again(call, at, reply);
            }
        } else {
            String value = "birth".equals(at.save()) ? Speech.birth(keys, speech)
                    : "day".equals(at.save()) ? Speech.day(keys, speech)
                    : "part".equals(at.save()) && keys.isEmpty() ? String.valueOf(Speech.partOfDay(speech))
                    : !keys.isEmpty() ? keys : Speech.digits(speech);
            if (!empty && at.pattern().matcher(value).matches()) {
                call.vars.put(at.save(), value);
                if (at.readBack() != null) {
                    say(reply, call, at.readBack());
                }
                next = at.next();
            } else {
                next = null;
                if (keys.isEmpty() && Speech.repeat(speech)) {
                    return again(call, at, reply);
                }
            }
        }
        if (next == null && !empty && keys.isEmpty()) {
            // words understood at every question ("担当者", "agent"), when the question has no choice for them
            Speech.Match anywhere = Speech.match(flow.anywhere, "", speech);
            if (anywhere.target() != null) {
                return run(call, anywhere.target(), reply, 0);
            }
        }
        if (next == null && !empty && at.otherwise() != null) {
            return run(call, at.otherwise(), reply, 0);
        }
        if (next == null) {
            return failed(call, at.name(), reply, 0, true);
        }
        // an answer understood is no reason to forget the failures before it: a well-formed notice
        // number after a wrong birth date would otherwise start the count again every time, and
        // wrong dates would never reach the operators (the count is reset in run(), by actions)
        return run(call, next, reply, 0);
    }

    /** The question for a day ({@code save: day}) that one of {@code at}'s choices leads to, if any. */
    private Flow.State askingDay(Flow.State at) {
        for (String target : at.choices().values()) {
            Flow.State t = flow.state(target);
            if ("gather".equals(t.type()) && "day".equals(t.save())) {
                return t;
            }
        }
        return null;
    }

    /** The question again, as it was asked (its prompt filled anew). */
    private Future<Reply> again(Call call, Flow.State at, Reply reply) {
        popPath(call, at.name());
        return run(call, at.name(), reply, 0);
    }

    /** An answer that fits two choices: a short question back (the state's {@code ask}, else "which" and the question). */
    private Future<Reply> ask(Call call, Flow.State at, Reply reply) {
        popPath(call, at.name());
        if (at.ask() != null) {
            return Future.succeededFuture(gather(call, at, reply, at.ask()));
        }
        say(reply, call, "which");
        return run(call, at.name(), reply, 0);
    }

    /** {@code *}: the question before this one (the first question is asked again). */
    private Future<Reply> back(Call call, Flow.State at, Reply reply) {
        List<String> path = path(call);
        if (!path.isEmpty() && path.get(path.size() - 1).equals(at.name())) {
            path.remove(path.size() - 1);
        }
        String to = path.isEmpty() ? at.name() : path.remove(path.size() - 1);
        call.vars.put(PATH, String.join(",", path));
        return run(call, to, reply, 0);
    }

    /** The questions asked since the caller last got somewhere, for {@code *}; kept in the call's vars. */
    private static final String PATH = "path";
    private static final int PATH_MAX = 20;

    private static List<String> path(Call call) {
        String p = call.vars.getOrDefault(PATH, "");
        return p.isEmpty() ? new ArrayList<>() : new ArrayList<>(List.of(p.split(",")));
    }

    private static void pushPath(Call call, String state) {
        List<String> path = path(call);
        if (path.isEmpty() || !path.get(path.size() - 1).equals(state)) {
            path.add(state);
        }
        while (path.size() > PATH_MAX) {
            path.remove(0);
        }
        call.vars.put(PATH, String.join(",", path));
    }

    private static void popPath(Call call, String state) {
        List<String> path = path(call);
        if (!path.isEmpty() && path.get(path.size() - 1).equals(state)) {
            path.remove(path.size() - 1);
            call.vars.put(PATH, String.join(",", path));
        }
    }

    /**
     * A failed input (an answer not understood, or a say-state marked {@code failure}, e.g. a wrong
     * birth date): the flow's operator state after {@code maxFailures} in a row, else the question
     * again. "In a row" means until the caller gets somewhere: see {@link #progress}.
     */
    private Future<Reply> failed(Call call, String again, Reply reply, int hops, boolean sayInvalid) {
        call.failures++;
        if (call.failures >= flow.maxFailures) {
            // the operators take over from here: a caller sent back into the flow starts afresh
            call.failures = 0;
            return run(call, flow.onMaxFailures, reply, hops + 1);
        }
        if (sayInvalid) {
            say(reply, call, "invalid");
        }
        return run(call, again, reply, hops + 1);
    }

    private Future<Reply> run(Call call, String name, Reply reply, int hops) {
        if (hops > MAX_HOPS) {
            LOG.error("phone flow loops without asking the caller anything (at state '{}')", name);
            return unavailable(call, reply);
        }
        Flow.State s = flow.state(name);
        if (!"say".equals(s.type()) && !"language".equals(s.type()) && !"action".equals(s.type())) {
            // the call's path, for the operator who takes it (actions are kept with their outcome)
            call.vars.put(CallPath.VAR, CallPath.plus(call.vars.get(CallPath.VAR), name));
        }
        switch (s.type()) {
            case "say":
                say(reply, call, s.prompt());
                if (s.failure()) {
                    return failed(call, s.next(), reply, hops, false);
                }
                return run(call, s.next(), reply, hops + 1);
            case "language":
                call.language = s.language();
                return run(call, s.next(), reply, hops + 1);
            case "gather":
                if (ready != null && !reply.readyChecked && s.save() != null && !call.vars.containsKey(s.save())) {
                    return whenReady(call, name, reply, hops);
                }
                return Future.succeededFuture(gather(call, s, reply, s.prompt()));
            case "enqueue":
                if (closed()) {
                    return Future.succeededFuture(offerCallback(call, reply));
                }
                say(reply, call, s.prompt());
                if (call.outcome == null) {
                    call.outcome(name.equals(flow.onUnavailable) ? "unavailable" : "operator");
                }
                return Future.succeededFuture(enqueue(call, reply));
            case "hangup":
                say(reply, call, s.prompt());
                reply.end = Reply.End.HANGUP;
                return Future.succeededFuture(reply);
            case "action":
                if (claims != null && !reply.claimed) {
                    reply.claimed = true;
                    return claims.claim(call).compose(v -> run(call, name, reply, hops));
                }
                Future<String> done = actions.run(s, call);
                done.onSuccess(outcome -> late(call, outcome));
                return done
                        .timeout(ACTION_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                        .transform(ar -> {
                            if (ar.failed()) {
                                LOG.warn("phone action '{}' failed, caller goes to the operators: {}", s.action(), ar.cause().toString());
                                return unavailable(call, reply);
                            }
                            call.vars.put(CallPath.VAR, CallPath.plus(call.vars.get(CallPath.VAR), name + ":" + ar.result()));
                            String to = s.transitions().get(ar.result());
                            if (progress(to)) {
                                call.failures = 0;
                            }
                            if (DONE.contains(ar.result())) {
                                // booked, moved or cancelled: there is no going back over it with *
                                call.vars.remove(PATH);
                            }
                            return run(call, to, reply, hops + 1);
                        });
            default:
                throw new IllegalStateException(s.type());
        }
    }

    /** Outcomes after which {@code *} does not lead back into the questions before them. */
    private static final java.util.Set<String> DONE = java.util.Set.of("booked", "moved", "cancelled", "joined");

    /** Asks {@code s} with {@code prompt} (its own, or a short question back) and waits for the answer. */
    private Reply gather(Call call, Flow.State s, Reply reply, String prompt) {
        call.seq++;
        call.awaiting = s.name();
        pushPath(call, s.name());
        reply.end = Reply.End.GATHER;
        reply.gather = s;
        reply.language = call.language;
        reply.url = base + "/twilio/voice/step?n=" + call.seq;
        if (s.bilingual()) {
            for (String lang : Flow.LANGUAGES) {
                reply.say(lang, Prompts.fill(flow.prompt(lang, prompt), call, sites, clock, true, walkInHours));
            }
        } else {
            say(reply, call, prompt);
        }
        return reply;
    }

    /**
     * Whether an action's outcome leading to {@code to} means the caller got somewhere, which
     * forgets their failures: any outcome but one that goes straight to a say-state marked
     * {@code failure} (verify → ok resets the count; verify → failed counts one more). Answers
     * understood, a language chosen or the main menu asked again do not reset it.
     */
    private boolean progress(String to) {
        Flow.State target = flow.state(to);
        return !("say".equals(target.type()) && target.failure());
    }

    /**
     * A booking or a move that completed after the caller was already sent to the operators (the
     * database was slow, not down): the caller still gets the code by SMS, and operators find it.
     */
    private void late(Call call, String outcome) {
        if (call.enqueued && ("booked".equals(outcome) || "moved".equals(outcome))) {
            LOG.warn("a phone booking completed after its caller went to the operators; the code goes out by SMS");
            if (sms != null) {
                sms.sendSms(call, "sms_booked");
            }
        }
    }

    /** The apology and the operator queue, in the caller's language: never silence. */
    Future<Reply> unavailable(Call call, Reply reply) {
        if (closed()) {
            call.outcome("unavailable");
            return Future.succeededFuture(offerCallback(call, reply));
        }
        Flow.State s = flow.state(flow.onUnavailable);
        call.vars.put(CallPath.VAR, CallPath.plus(call.vars.get(CallPath.VAR), flow.onUnavailable));
        say(reply, call, s.prompt());
        call.outcome("unavailable");
        return Future.succeededFuture(enqueue(call, reply));
    }

    /**
     * The first number a call asks for: a database that does not answer is told now (the apology
     * and the operators), not after the caller has typed their notice number and birth date.
     */
    private Future<Reply> whenReady(Call call, String gather, Reply reply, int hops) {
        reply.readyChecked = true;
        return ready.get().timeout(ACTION_TIMEOUT_MS, TimeUnit.MILLISECONDS).transform(ar -> {
            if (ar.failed()) {
                LOG.warn("the database does not answer before '{}'; the caller goes to the operators", gather);
                return unavailable(call, reply);
            }
            return run(call, gather, reply, hops);
        });
    }

    private boolean closed() {
        return callCenter != null && !callCenter.openNow();
    }

    /**
     * Outside the call center's hours nobody would answer the queue: the caller hears the hours
     * (after what is locked, if that is why they are here) and is offered a call back.
     */
    private Reply offerCallback(Call call, Reply reply) {
        if (call.told != null) {
            reply.say(call.language, Prompts.fill("{told}", call, sites, clock, true, walkInHours));
        }
        String lang = call.language;
        reply.say(lang, said.text(lang, "operator_closed").replace("{hours}", HoursSpoken.of(callCenter.hours(), lang, said)));
        reply.say(lang, said.text(lang, "callback_offer"));
        if (call.outcome == null) {
            call.outcome("closed");
        }
        reply.end = Reply.End.OFFER_CALLBACK;
        reply.url = desk.offerUrl(lang, "closed");
        return reply;
    }

    Reply enqueue(Call call, Reply reply) {
        call.enqueued = true;
        reply.end = Reply.End.ENQUEUE;
        reply.queue = flow.operatorQueue;
        reply.url = base + "/twilio/voice/queue/wait?lang=" + call.language;
        reply.leftUrl = base + "/twilio/voice/queue/left?lang=" + call.language;
        return reply;
    }

    void say(Reply reply, Call call, String prompt) {
        reply.say(call.language, Prompts.fill(flow.prompt(call.language, prompt), call, sites, clock, true, walkInHours));
    }

    String text(String language, String prompt) {
        return flow.prompt(language, prompt);
    }
}
