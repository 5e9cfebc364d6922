package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.booking.JournalEntry;
import madoguchi.app.booking.JournalOutcome;
import madoguchi.app.booking.Rejection;
import madoguchi.app.booking.Idempotency;
import madoguchi.domain.ActiveBooking;
import madoguchi.domain.Decision;
import madoguchi.domain.Refusal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * After a batch's transaction was rolled back because the database refused some of its rows: reads
 * what the database holds now (outside any transaction) and says, for each entry whose row was
 * missing, why — a hold or booking already ended elsewhere, a card no longer ready or already
 * booked, an answer already kept under its key — and which slots had fewer seats than the shard
 * believed.
 */
final class RefusalDiagnosis {
    private final Pool pool;

    RefusalDiagnosis(Pool pool) {
        this.pool = pool;
    }

    /** After a rollback: reads what the database holds now and says why each refused entry failed. */
    Future<JournalOutcome> explain(List<JournalEntry> batch, BatchColumns st, BatchResults results) {
        Map<Integer, Rejection> rejected = new HashMap<>();
        Set<Long> fullSlots = new HashSet<>();
        if (results.slotsTried) {
            fullSlots.addAll(st.slotIds);
            fullSlots.removeAll(results.changedSlots);
        }
        Set<Integer> retry = new HashSet<>();
        List<Integer> cardQuestions = new ArrayList<>();
        List<Integer> bookingQuestions = new ArrayList<>();
        Map<Integer, ActiveBooking> current = new HashMap<>();
        List<Integer> keyQuestions = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Decision d = batch.get(i).decision();
            if (st.replacedHold.containsKey(i) && !results.endedHolds.contains(st.replacedHold.get(i))) {
                retry.add(i);
            } else if (st.endedHold.containsKey(i) && !results.endedHolds.contains(st.endedHold.get(i))) {
                rejected.put(i, Rejection.of(d instanceof Decision.HoldConfirmed || d instanceof Decision.HoldMovedInto
                        ? Refusal.HOLD_EXPIRED : Refusal.NOT_FOUND));
            } else if (st.endedBooking.containsKey(i) && !results.endedBookings.contains(st.endedBooking.get(i))) {
                bookingQuestions.add(i);
            } else if (st.newBooking.containsKey(i) && !results.newBookings.contains(st.newBooking.get(i))
                    || st.newHold.containsKey(i) && !results.newHolds.contains(st.newHold.get(i))) {
                cardQuestions.add(i);
            } else if (st.key.containsKey(i) && !results.keys.contains(st.key.get(i))) {
                keyQuestions.add(i);
            }
        }
        return cardFacts(batch, cardQuestions, rejected)
                .compose(v -> bookingFacts(st, bookingQuestions, rejected, retry, current))
                .compose(v -> storedAnswers(batch, keyQuestions, rejected))
                .compose(v -> pool.preparedQuery(JournalSql.CURRENT_SLOTS).execute(Tuple.of(st.slotIds.toArray(new Long[0]))))
                .compose(rows -> rejected.isEmpty() && fullSlots.isEmpty() && retry.isEmpty()
                        // nothing to blame: fail the batch rather than retry it for ever
                        ? Future.failedFuture(new IllegalStateException("batch refused for no reason found"))
                        : Future.succeededFuture(new JournalOutcome(PgSeatSource.list(rows, Rows::slot), rejected, fullSlots, retry, current)));
    }

    private Future<Void> cardFacts(List<JournalEntry> batch, List<Integer> questions, Map<Integer, Rejection> rejected) {
        if (questions.isEmpty()) {
            return Future.succeededFuture();
        }
        Long[] cards = questions.stream().map(i -> cardOf(batch.get(i).decision())).toArray(Long[]::new);
        return pool.preparedQuery(JournalSql.CARD_FACTS).execute(Tuple.of(cards)).map(rows -> {
            Map<Long, Row> byCard = new HashMap<>();
            rows.forEach(r -> byCard.put(r.getLong("card"), r));
            for (int i : questions) {
                Row r = byCard.get(cardOf(batch.get(i).decision()));
                if (r == null || !"ready".equals(r.getString("state"))) {
                    rejected.put(i, Rejection.of(Refusal.CARD_NOT_READY));
                } else if (r.getLong("id") != null) {
                    rejected.put(i, new Rejection(Refusal.ALREADY_BOOKED, Rows.booking(r), null));
                } else {
                    rejected.put(i, Rejection.of(Refusal.WRONG_SITE));
                }
            }
            return null;
        });
    }

    /** A booking that is still active but not as memory had it (moved, or made an override) is decided again. */
    private Future<Void> bookingFacts(BatchColumns st, List<Integer> questions, Map<Integer, Rejection> rejected,
                                      Set<Integer> retry, Map<Integer, ActiveBooking> current) {
        if (questions.isEmpty()) {
            return Future.succeededFuture();
        }
        Long[] ids = questions.stream().map(st.endedBooking::get).toArray(Long[]::new);
        return pool.preparedQuery(JournalSql.ACTIVE_BOOKINGS).execute(Tuple.of(ids)).map(rows -> {
            Map<Long, ActiveBooking> byId = new HashMap<>();
            rows.forEach(r -> byId.put(r.getLong("id"), Rows.booking(r)));
            for (int i : questions) {
                ActiveBooking now = byId.get(st.endedBooking.get(i));
                if (now == null) {
                    rejected.put(i, Rejection.of(Refusal.NOT_FOUND));
                } else {
                    retry.add(i);
                    current.put(i, now);
                }
            }
            return null;
        });
    }

    private Future<Void> storedAnswers(List<JournalEntry> batch, List<Integer> questions, Map<Integer, Rejection> rejected) {
        if (questions.isEmpty()) {
            return Future.succeededFuture();
        }
        String[] scopes = questions.stream().map(i -> batch.get(i).idempotency().scope()).toArray(String[]::new);
        String[] keys = questions.stream().map(i -> batch.get(i).idempotency().key()).toArray(String[]::new);
        return pool.preparedQuery(JournalSql.STORED_ANSWERS).execute(Tuple.tuple().addValue(scopes).addValue(keys)).map(rows -> {
            Map<String, Row> byKey = new HashMap<>();
            rows.forEach(r -> byKey.put(r.getString("scope") + "\n" + r.getString("key"), r));
            for (int i : questions) {
                Idempotency asked = batch.get(i).idempotency();
                Row r = byKey.get(asked.id());
                // another request with the key committed first: this one gets its decision (or is refused
                // for a key reused), as a request arriving after it would
                rejected.put(i, r == null ? Rejection.of(Refusal.BUSY)
                        : new Rejection(Refusal.BUSY, null, asked.replayOf(r.getString("request_hash"), Rows.kept(r))));
            }
            return null;
        });
    }

    private static long cardOf(Decision d) {
        if (d instanceof Decision.BookingMade) {
            return ((Decision.BookingMade) d).booking().cardId();
        }
        if (d instanceof Decision.HoldConfirmed) {
            return ((Decision.HoldConfirmed) d).booking().cardId();
        }
        return ((Decision.HoldTaken) d).hold().cardId();
    }
}
