package madoguchi.telephony;

import io.vertx.core.Future;
import madoguchi.app.booking.CardRef;
import madoguchi.app.calls.CallState;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One phone call's state, kept by CallSid in memory and in the database (as a {@link CallState},
 * see {@link Telephony}). Every answer is remembered under the step it answers, so that Twilio
 * retrying a step gets the same answer and nothing is done twice.
 */
final class Call {
    final String sid;
    final String from;
    private final Map<Integer, Future<String>> answers = new ConcurrentHashMap<>();

    volatile String language;
    volatile int failures;
    /** The number of the last Gather sent; its input comes back as step {@code seq}. */
    volatile int seq;
    volatile String awaiting;
    final Map<String, String> vars = new ConcurrentHashMap<>();
    volatile CardRef card;
    volatile UUID holdId;
    volatile long offeredSlot = -1;
    volatile Instant slotStart;
    volatile String code;
    volatile Instant lockedUntil;
    /** What the caller is told of a lock or a limit ({@code {told}} in a prompt), until {@link #lockedUntil}. */
    volatile madoguchi.app.Words told;
    volatile String outcome;
    volatile boolean enqueued;
    volatile Instant startedAt;

    Call(String sid, String from, String language) {
        this.sid = sid;
        this.from = from;
        this.language = language;
    }

    /** What is kept of the call between webhooks. */
    CallState state() {
        CardRef c = card;
        return new CallState(sid, from, language, failures, seq, awaiting, Map.copyOf(vars),
                c == null ? null : c.cardId(), c == null ? null : c.siteId(), holdId, offeredSlot, slotStart, code,
                lockedUntil, told == null ? null : told.name(), outcome, enqueued, startedAt);
    }

    /** The call as it was kept, with the answers already given to its steps. */
    static Call restore(CallState s, Map<Integer, String> answered) {
        Call call = new Call(s.sid(), s.from(), s.language());
        call.failures = s.failures();
        call.seq = s.seq();
        call.awaiting = s.awaiting();
        call.vars.putAll(s.vars());
        call.card = s.cardId() == null ? null : new CardRef(s.cardId(), s.siteId());
        call.holdId = s.holdId();
        call.offeredSlot = s.offeredSlot();
        call.slotStart = s.slotStart();
        call.code = s.code();
        call.lockedUntil = s.lockedUntil();
        call.told = s.told() == null ? null : madoguchi.app.Words.valueOf(s.told());
        call.outcome = s.outcome();
        call.enqueued = s.enqueued();
        call.startedAt = s.startedAt();
        answered.forEach((n, xml) -> call.answers.put(n, Future.succeededFuture(xml)));
        return call;
    }

    /** The answer to step {@code n}: computed once, the same future for every retry. */
    Future<String> answer(int n, Supplier<Future<String>> compute) {
        return answers.computeIfAbsent(n, k -> compute.get());
    }

    boolean answered(int n) {
        return answers.containsKey(n);
    }

    Future<String> latest() {
        return answers.get(seq);
    }

    void outcome(String o) {
        outcome = o;
    }
}
