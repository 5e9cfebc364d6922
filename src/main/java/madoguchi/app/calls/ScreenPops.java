package madoguchi.app.calls;

import io.vertx.core.Future;
import madoguchi.app.cards.CardRecord;
import madoguchi.app.cards.CardStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What an operator's console shows as a queued call is bridged to their phone: who is calling —
 * the card the caller verified, or else the cards registered with the caller's number — and the
 * call's path: what they tried and why they reached an operator.
 */
public final class ScreenPops {
    /** One bridged call as the operator sees it. {@code verified} true: the caller proved the card. */
    public record Pop(String callSid, String phone, String language, Instant bridgedAt, int queueSeconds,
                      List<CardRecord> cards, boolean verified, String bookingCode, List<String> path, String reason) {

        @Override
        public String toString() {
            return "Pop[cards=" + cards.size() + ", verified=" + verified + ", reason=" + reason + "]";
        }
    }

    private final CallStates calls;
    private final CardStore cards;

    public ScreenPops(CallStates calls, CardStore cards) {
        this.calls = calls;
        this.cards = cards;
    }

    /** The calls bridged to {@code operator} after {@code since}, oldest first. */
    public Future<List<Pop>> since(String operator, Instant since) {
        return calls.bridgedTo(operator, since).compose(list -> {
            List<Future<Pop>> pops = new ArrayList<>();
            for (CallStates.Bridged b : list) {
                pops.add(pop(b));
            }
            return Future.all(pops).map(all -> {
                List<Pop> out = new ArrayList<>();
                for (int i = 0; i < all.size(); i++) {
                    out.add(all.resultAt(i));
                }
                return out;
            });
        });
    }

    private Future<Pop> pop(CallStates.Bridged b) {
        CallState s = b.state();
        String path = s.vars().getOrDefault(CallPath.VAR, "");
        List<String> steps = path.isEmpty() ? List.of() : List.of(path.split(">"));
        String reason = CallPath.reason(steps, s.outcome());
        Future<List<CardRecord>> found = s.cardId() != null
                ? cards.byId(s.cardId()).map(c -> c.map(List::of).orElse(List.of()))
                : s.from() == null || !s.from().matches("\\+[0-9]{6,15}") ? Future.succeededFuture(List.of()) : cards.byPhone(s.from());
        return found.map(list -> new Pop(s.sid(), s.from(), s.language(), b.bridgedAt(), b.queueSeconds(), list,
                s.cardId() != null, s.code(), steps, reason));
    }
}
