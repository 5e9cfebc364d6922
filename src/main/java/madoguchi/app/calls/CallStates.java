package madoguchi.app.calls;

import io.vertx.core.Future;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Where phone calls' states and the answers already given to their steps are kept (PostgreSQL),
 * and the record of each call the calls report is made from.
 */
public interface CallStates {

    /** A call's state and the TwiML answered to each of its steps so far. */
    record Saved(CallState state, Map<Integer, String> answers) {
    }

    Future<Optional<Saved>> load(String callSid);

    /**
     * Keeps the state reached by answering {@code step} with {@code twiml}. The first answer kept
     * for a step wins (a retry answered by two instances at once): the answer kept is returned,
     * and the state is only written along with a new answer.
     */
    Future<String> save(CallState state, int step, String twiml, Instant at);

    /**
     * Claims {@code step} of a call before its answer runs an action: true for the one claim that
     * made the step's record; false when the step was claimed or answered already (on any instance),
     * whose action must then not run again.
     */
    Future<Boolean> claim(String callSid, int step, Instant at);

    /** The answer kept for a step, if one is kept yet (a claimed step has none until it is answered). */
    Future<Optional<String>> answer(String callSid, int step);

    /** The caller asked to be called back (outside any step): the call's outcome, in its state too. */
    Future<Void> outcome(String callSid, String outcome);

    /** The call ended (the status callback): its outcome, once. */
    Future<Void> ended(String callSid, String outcome, Instant at);

    /** The caller entered the operator queue (the first time counts). */
    Future<Void> queued(String callSid, Instant at);

    /** The caller left the queue: Twilio's QueueResult and the seconds spent in it. */
    Future<Void> leftQueue(String callSid, String result, int seconds, Instant at);

    /** A queued call bridged to an operator's phone; false when no such call is kept. */
    Future<Boolean> bridged(String callSid, String operator, int queueSeconds, Instant at);

    /** A call as an operator took it: its state, when it was bridged and how long it waited. */
    record Bridged(CallState state, Instant bridgedAt, int queueSeconds) {
    }

    /** Forgets the steps' answers of calls not heard from since {@code before} (their records stay); how many. */
    Future<Integer> forgetSteps(Instant before);

    /** The calls report of the Tokyo days {@code from} to {@code to} (inclusive). */
    Future<CallsReport> report(java.time.LocalDate from, java.time.LocalDate to);

    /** Calls bridged to {@code operator} after {@code since}, oldest first. */
    Future<java.util.List<Bridged>> bridgedTo(String operator, Instant since);
}
