package madoguchi.telephony;

import io.vertx.core.Future;
import madoguchi.app.booking.CardRef;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One phone call's state, kept in memory by CallSid. Every answer is remembered under the step
 * it answers, so that Twilio retrying a step gets the same answer and nothing is done twice.
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

    Call(String sid, String from, String language) {
        this.sid = sid;
        this.from = from;
        this.language = language;
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
